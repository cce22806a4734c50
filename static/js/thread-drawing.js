// The shapes of a comment thread's drawing, read back from the SVG over its still (drawn there by the server in
// a 1000-unit viewBox, to a tenth: the precision the drawing is stored at), relative to the frame (0..1) as the
// players' canvases paint them. One copy of the drawing on the page, for the still and the player alike.
window.threadDrawing = (thread) => {
  const unit = (element, name) => Number(element.getAttribute(name)) / 1000;
  const shapes = [];
  for (const element of thread.querySelectorAll(".frame-still .drawing > *")) {
    if (element.localName === "rect") {
      shapes.push({ shape: "box", x: unit(element, "x"), y: unit(element, "y"), w: unit(element, "width"), h: unit(element, "height") });
    } else if (element.localName === "line") {
      const from = [unit(element, "x1"), unit(element, "y1")];
      shapes.push({ shape: "arrow", from, to: [unit(element, "x2"), unit(element, "y2")] });
    } else if (element.localName === "polyline") {
      const points = element.getAttribute("points").trim().split(/\s+/);
      shapes.push({ shape: "stroke", points: points.map((point) => point.split(",").map((value) => Number(value) / 1000)) });
    }
  }
  return shapes;
};

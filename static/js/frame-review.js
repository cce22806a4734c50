// Frame-level review on a video's page: step frame by frame, mark a moment or a range (in and out points),
// draw freehand strokes, arrows and boxes on the frame, and show a comment's drawing at its time.
// Shapes are kept relative to the frame (0..1), as the server stores and checks them. Keys come from
// review-keys.js: c (comment here), i / o (range), , / . (one frame back / on) press the buttons that say so.
(() => {
  const stage = document.querySelector("[data-frame-stage]");
  if (!stage) return;
  const video = stage.querySelector("video");
  const canvas = stage.querySelector("canvas");
  const context = canvas.getContext("2d");
  const fps = parseFloat(stage.dataset.fps) || 24;
  const form = document.getElementById("comment-form");
  const field = (name) => form && form.querySelector(`[name="${name}"]`);
  const now = document.querySelector("[data-frame-now]");
  let drawn = []; // the shapes of the comment being written
  let shown = []; // the shapes of the comment the reader went to
  let tool = null;
  let current = null;

  const seconds = (value) => Math.round(value * 1000) / 1000;
  const label = (value) => {
    const millis = Math.round(value * 1000);
    const minutes = Math.floor(millis / 60000);
    const rest = millis - minutes * 60000;
    return `${minutes}:${String(Math.floor(rest / 1000)).padStart(2, "0")}.${String(rest % 1000).padStart(3, "0")}`;
  };

  function fit() {
    canvas.width = canvas.clientWidth;
    canvas.height = canvas.clientHeight;
    draw();
  }

  function line(x1, y1, x2, y2) {
    context.beginPath();
    context.moveTo(x1, y1);
    context.lineTo(x2, y2);
    context.stroke();
  }

  function paint(shape) {
    const w = canvas.width;
    const h = canvas.height;
    if (shape.shape === "box") {
      context.strokeRect(shape.x * w, shape.y * h, shape.w * w, shape.h * h);
    } else if (shape.shape === "arrow") {
      const [x1, y1] = [shape.from[0] * w, shape.from[1] * h];
      const [x2, y2] = [shape.to[0] * w, shape.to[1] * h];
      line(x1, y1, x2, y2);
      const angle = Math.atan2(y2 - y1, x2 - x1);
      for (const side of [-0.5, 0.5]) line(x2, y2, x2 - 12 * Math.cos(angle + side), y2 - 12 * Math.sin(angle + side));
    } else if (shape.points.length > 1) {
      context.beginPath();
      context.moveTo(shape.points[0][0] * w, shape.points[0][1] * h);
      for (const [x, y] of shape.points.slice(1)) context.lineTo(x * w, y * h);
      context.stroke();
    }
  }

  function draw() {
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.lineWidth = 3;
    context.strokeStyle = "#ff2d55";
    for (const shape of [...shown, ...drawn, ...(current ? [current] : [])]) paint(shape);
  }

  function keepDrawing() {
    const input = field("drawing");
    if (input) input.value = drawn.length ? JSON.stringify(drawn) : "";
  }

  function where(event) {
    const box = canvas.getBoundingClientRect();
    const clamp = (value) => Math.min(1, Math.max(0, Math.round(value * 10000) / 10000));
    return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (!tool) return;
    event.preventDefault();
    video.pause();
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = where(event);
    if (tool === "stroke") current = { shape: "stroke", points: [[x, y]] };
    if (tool === "arrow") current = { shape: "arrow", from: [x, y], to: [x, y] };
    if (tool === "box") current = { shape: "box", x, y, w: 0, h: 0, start: [x, y] };
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    const [x, y] = where(event);
    if (current.shape === "stroke") {
      const [lx, ly] = current.points[current.points.length - 1];
      if (Math.hypot(x - lx, y - ly) > 0.004 && current.points.length < 500) current.points.push([x, y]);
    } else if (current.shape === "arrow") {
      current.to = [x, y];
    } else {
      const [sx, sy] = current.start;
      Object.assign(current, { x: Math.min(sx, x), y: Math.min(sy, y), w: Math.abs(x - sx), h: Math.abs(y - sy) });
    }
    draw();
  });
  canvas.addEventListener("pointerup", () => {
    if (!current) return;
    const shape = current;
    current = null;
    delete shape.start;
    const tiny = shape.shape === "box" ? shape.w < 0.005 || shape.h < 0.005 : shape.shape === "stroke" && shape.points.length < 2;
    if (!tiny) drawn.push(shape);
    keepDrawing();
    draw();
  });

  function setTime(name, value) {
    const input = field(name);
    if (input) input.value = value === "" ? "" : seconds(value).toFixed(3);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.frameStep) {
      video.pause();
      const step = Number(button.dataset.frameStep) / fps;
      video.currentTime = Math.min(video.duration || Infinity, Math.max(0, video.currentTime + step));
    } else if (button.dataset.mark === "in") {
      setTime("at", video.currentTime);
      if (Number(field("until").value) < video.currentTime) setTime("until", "");
    } else if (button.dataset.mark === "out") {
      setTime("until", video.currentTime);
    } else if (button.hasAttribute("data-comment-here")) {
      video.pause();
      if (!field("until").value) setTime("at", video.currentTime);
      field("body").focus();
    } else if (button.dataset.tool) {
      tool = tool === button.dataset.tool ? null : button.dataset.tool;
      for (const other of document.querySelectorAll("[data-tool]")) {
        other.setAttribute("aria-pressed", String(other.dataset.tool === tool));
      }
      canvas.classList.toggle("is-drawing", Boolean(tool));
      if (tool) video.pause();
    } else if (button.hasAttribute("data-clear-drawing")) {
      drawn = [];
      keepDrawing();
      draw();
    } else if (button.dataset.seek !== undefined) {
      const thread = button.closest("[data-thread]");
      video.pause();
      video.currentTime = Number(button.dataset.seek);
      shown = window.threadDrawing(thread);
      draw();
      stage.scrollIntoView({ block: "nearest" });
    }
  });

  video.addEventListener("timeupdate", () => {
    if (now) now.textContent = label(video.currentTime);
  });
  video.addEventListener("play", () => {
    shown = [];
    draw();
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    // A comment refused by the server leaves the form as it was; an accepted one reloads the page.
    if (event.target === form && event.detail.failed) form.querySelector("[role=alert]").focus?.();
  });
  new ResizeObserver(fit).observe(canvas);
  fit();
})();

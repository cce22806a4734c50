// Two versions of a video side by side (or as a wipe), playing in sync: the old version leads and the new one
// follows it. The old version's comments seek both players and show their drawing over the old frame.
(() => {
  const root = document.querySelector("[data-compare]");
  if (!root) return;
  const stage = root.querySelector("[data-compare-stage]");
  const old = root.querySelector('[data-compare-video="old"]');
  const fresh = root.querySelector('[data-compare-video="new"]');
  const scrub = root.querySelector("[data-compare-scrub]");
  const now = root.querySelector("[data-compare-now]");
  const canvas = stage.querySelector("canvas");
  const context = canvas.getContext("2d");
  const fps = parseFloat(stage.dataset.fps) || 24;
  let shown = [];

  const label = (value) => {
    const millis = Math.round(value * 1000);
    const minutes = Math.floor(millis / 60000);
    const rest = millis - minutes * 60000;
    return `${minutes}:${String(Math.floor(rest / 1000)).padStart(2, "0")}.${String(rest % 1000).padStart(3, "0")}`;
  };

  function seek(time) {
    const at = Math.max(0, time);
    old.currentTime = Math.min(at, old.duration || at);
    fresh.currentTime = Math.min(at, fresh.duration || at);
    scrub.value = at;
    now.textContent = label(at);
  }

  function drawShown() {
    canvas.width = canvas.clientWidth;
    canvas.height = canvas.clientHeight;
    const w = canvas.width;
    const h = canvas.height;
    context.clearRect(0, 0, w, h);
    context.lineWidth = 3;
    context.strokeStyle = "#ff2d55";
    for (const shape of shown) {
      context.beginPath();
      if (shape.shape === "box") context.rect(shape.x * w, shape.y * h, shape.w * w, shape.h * h);
      else if (shape.shape === "arrow") {
        context.moveTo(shape.from[0] * w, shape.from[1] * h);
        context.lineTo(shape.to[0] * w, shape.to[1] * h);
      } else {
        shape.points.forEach(([x, y], index) => (index ? context.lineTo(x * w, y * h) : context.moveTo(x * w, y * h)));
      }
      context.stroke();
    }
  }

  root.querySelector("[data-compare-play]").addEventListener("click", () => {
    shown = [];
    drawShown();
    fresh.currentTime = old.currentTime;
    old.play();
    fresh.play();
  });
  root.querySelector("[data-compare-pause]").addEventListener("click", () => {
    old.pause();
    fresh.pause();
    fresh.currentTime = old.currentTime;
  });
  old.addEventListener("timeupdate", () => {
    if (Math.abs(fresh.currentTime - old.currentTime) > 1 / fps && !fresh.ended) fresh.currentTime = old.currentTime;
    scrub.value = old.currentTime;
    now.textContent = label(old.currentTime);
  });
  old.addEventListener("ended", () => fresh.pause());
  scrub.addEventListener("input", () => seek(Number(scrub.value)));
  for (const radio of root.querySelectorAll("[data-compare-layout]")) {
    radio.addEventListener("change", () => stage.classList.toggle("is-wipe", radio.value === "wipe" && radio.checked));
  }
  const wipe = root.querySelector("[data-compare-wipe]");
  wipe.addEventListener("input", () => stage.style.setProperty("--wipe", `${wipe.value}%`));

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.frameStep) {
      old.pause();
      fresh.pause();
      seek(old.currentTime + Number(button.dataset.frameStep) / fps);
    } else if (button.dataset.seek !== undefined) {
      old.pause();
      fresh.pause();
      seek(Number(button.dataset.seek));
      shown = window.threadDrawing(button.closest("[data-thread]"));
      drawShown();
    }
  });
})();

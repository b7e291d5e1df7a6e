// A tiny line of the last few minutes of one metric. A canvas rather than a chart instance:
// a dozen of these update every second and need no axes or interaction.
import { useEffect, useRef } from 'react';

export function Sparkline({ values, color, label }: { values: number[]; color: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (w === 0 || h === 0) return;
    if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
    if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (values.length < 2) return;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    min = Math.min(min, 0);
    const range = max - min || 1;
    const x = (i: number) => (i / (values.length - 1)) * (w - 2) + 1;
    const y = (v: number) => h - 2 - ((v - min) / range) * (h - 4);
    ctx.beginPath();
    ctx.moveTo(x(0), y(values[0]));
    for (let i = 1; i < values.length; i++) ctx.lineTo(x(i), y(values[i]));
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.25;
    ctx.stroke();
    ctx.lineTo(x(values.length - 1), h);
    ctx.lineTo(x(0), h);
    ctx.closePath();
    ctx.globalAlpha = 0.15;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = 1;
  }, [values, color]);
  return <canvas ref={ref} className="sparkline" role="img" aria-label={`${label}, last few minutes`} />;
}

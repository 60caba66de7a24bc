/**
 * Streams over time in fixed memory: the state (open, completed, failed) at the last change in
 * each step of `stepMs`; when the run outgrows MAX_SERIES_POINTS steps, the step doubles and
 * neighbouring points merge (the later one wins). Never one row per stream.
 */
import { MAX_SERIES_POINTS } from '../../core/attachments.js';

type Point = [atMs: number, open: number, completed: number, failed: number];

export class OverTime {
  private stepMs: number;
  private points: Array<Point | undefined> = [];

  constructor(stepMs = 50) {
    this.stepMs = stepMs;
  }

  note(atMs: number, open: number, completed: number, failed: number): void {
    let i = Math.floor(Math.max(0, atMs) / this.stepMs);
    while (i >= MAX_SERIES_POINTS) {
      this.coarsen();
      i = Math.floor(atMs / this.stepMs);
    }
    this.points[i] = [Math.round(atMs), open, completed, failed];
  }

  private coarsen(): void {
    this.stepMs *= 2;
    const merged: Array<Point | undefined> = [];
    this.points.forEach((p, i) => {
      if (p) merged[i >> 1] = p;
    });
    this.points = merged;
  }

  toJSON(): { stepMs: number; points: Point[] } {
    return { stepMs: this.stepMs, points: this.points.filter((p): p is Point => p !== undefined) };
  }
}

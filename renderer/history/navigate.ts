// Keyboard navigation of a history chart, in time: zoom around the view's centre, pan by a tenth
// of the view, jump to either end of the selection. Views stay inside the selection and keep at
// least MIN_VIEW_US (a few ticks' worth at microsecond spacing).
import type { TimeSpan } from './loadPlan.ts';

export const MIN_VIEW_US = 100;
export const ZOOM_FACTOR = 2;
export const PAN_FRACTION = 0.1;

export type NavAction = 'zoomIn' | 'zoomOut' | 'panLeft' | 'panRight' | 'home' | 'end';

/** Moves `view` by `shiftUs`, keeping its width, inside `bounds` as far as it fits. */
function shiftInside(view: TimeSpan, shiftUs: number, bounds: TimeSpan): TimeSpan {
  const width = view.toUs - view.fromUs;
  if (width >= bounds.toUs - bounds.fromUs) return { ...bounds };
  let fromUs = view.fromUs + shiftUs;
  fromUs = Math.min(Math.max(fromUs, bounds.fromUs), bounds.toUs - width);
  return { fromUs, toUs: fromUs + width };
}

export function navigate(view: TimeSpan, action: NavAction, bounds: TimeSpan): TimeSpan {
  const width = Math.max(MIN_VIEW_US, view.toUs - view.fromUs);
  const centre = (view.fromUs + view.toUs) / 2;
  switch (action) {
    case 'zoomIn':
    case 'zoomOut': {
      const next = action === 'zoomIn' ? Math.max(MIN_VIEW_US, width / ZOOM_FACTOR) : width * ZOOM_FACTOR;
      const span = { fromUs: centre - next / 2, toUs: centre + next / 2 };
      return shiftInside(span, 0, bounds);
    }
    case 'panLeft':
      return shiftInside(view, -width * PAN_FRACTION, bounds);
    case 'panRight':
      return shiftInside(view, width * PAN_FRACTION, bounds);
    case 'home':
      return shiftInside({ fromUs: bounds.fromUs, toUs: bounds.fromUs + width }, 0, bounds);
    case 'end':
      return shiftInside({ fromUs: bounds.toUs - width, toUs: bounds.toUs }, 0, bounds);
  }
}

/** The action of a key, as KeyboardEvent.key spells it. */
export const NAV_KEYS: Readonly<Record<string, NavAction>> = {
  '+': 'zoomIn',
  '=': 'zoomIn',
  '-': 'zoomOut',
  ArrowLeft: 'panLeft',
  ArrowRight: 'panRight',
  Home: 'home',
  End: 'end',
};

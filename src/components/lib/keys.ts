import type { TrainAction } from '../sn-training-controls.js';

/**
 * The playground's keyboard command for `event`: P play/pause, S step, E epoch, R reset, W the
 * worker toggle (not while training). Nothing while the user types in a field or holds a
 * modifier, so the page's shortcuts never take a browser's or a form's key.
 */
export function keyCommand(event: KeyboardEvent, running: boolean): TrainAction | 'worker' | undefined {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return undefined;
  const target = event.composedPath()[0];
  if (target instanceof HTMLElement && (target.closest('input, select, textarea, [contenteditable]') || target.isContentEditable))
    return undefined;
  switch (event.key.toLowerCase()) {
    case 'p':
      return running ? 'pause' : 'play';
    case 's':
      return 'step';
    case 'e':
      return 'epoch';
    case 'r':
      return 'reset';
    case 'w':
      return running ? undefined : 'worker';
    default:
      return undefined;
  }
}

// Text from users (lab.yaml fields, environment settings, file names) reaches a terminal: a control
// character in it could move the cursor, recolour or hide what follows. Pure.

// eslint-disable-next-line no-control-regex -- the control characters are exactly what is matched
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Show every control character except newline and tab as a visible escape (`\x1b`, `\u009b`). */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** True when the text holds a control character (newline and tab included): refused in one-line fields. */
export function hasControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- as above, plus tab and newline
  return /[\u0000-\u001f\u007f-\u009f]/.test(text);
}

/** `1 unit`, `3 units`: the count with its noun, singular or plural. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

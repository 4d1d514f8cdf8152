// The confirmation dialog: a native modal <dialog> (the page behind it is inert; Escape closes it), whose
// Tab and Shift+Tab go round its own controls rather than out to the browser, with an optional field. Resolves to the field's value, true, or null when cancelled.
import { fill, h } from './dom.js';

const $ = (id) => document.getElementById(id);

// Tab past the last control comes back to the first, Shift+Tab before the first goes to the last.
function trapTab(ev) {
  if (ev.key !== 'Tab') return;
  const controls = [...ev.currentTarget.querySelectorAll('input, button')].filter((el) => !el.disabled);
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (ev.shiftKey && document.activeElement === first) {
    ev.preventDefault();
    last.focus();
  } else if (!ev.shiftKey && document.activeElement === last) {
    ev.preventDefault();
    first.focus();
  }
}

/** Asks the person; `field` is {label, type, min, max, value} for a question with an answer. */
export function confirm({ title, text, action, field }) {
  const dialog = $('confirm');
  fill($('confirm-title'), title);
  fill($('confirm-text'), text);
  let input = null;
  if (field) {
    input = h('input', { id: 'confirm-input', name: 'value', type: field.type ?? 'text', required: true, min: field.min, max: field.max, value: field.value, inputmode: 'numeric' });
    fill($('confirm-extra'), h('label', { for: 'confirm-input' }, field.label), input);
  } else fill($('confirm-extra'));
  fill($('confirm-ok'), action);
  return new Promise((resolve) => {
    const cancel = $('confirm-cancel');
    const onCancel = () => dialog.close('');
    const onClose = () => {
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      dialog.removeEventListener('keydown', trapTab);
      if (dialog.returnValue !== 'ok') resolve(null);
      else resolve(input ? input.value : true);
    };
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.addEventListener('keydown', trapTab);
    dialog.returnValue = '';
    dialog.showModal();
    if (input) {
      input.focus();
      input.select();
    }
  });
}

// The confirmation dialog: a native modal <dialog> (the page behind it is inert, so focus stays inside;
// Escape closes it), with an optional field. Resolves to the field's value, true, or null when cancelled.
import { fill, h } from './dom.js';

const $ = (id) => document.getElementById(id);

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
      if (dialog.returnValue !== 'ok') resolve(null);
      else resolve(input ? input.value : true);
    };
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.returnValue = '';
    dialog.showModal();
    if (input) {
      input.focus();
      input.select();
    }
  });
}

import { LIMITS } from './limits.ts';
import { checkElement, checkText, isObject, type Json, list, type Report, unknownFields } from './validate-elements.ts';

export type Surface = 'message' | 'modal' | 'home';

/** Slack truncates nothing above this: `chat.postMessage` and `chat.update` answer `msg_too_long`. */
export const MESSAGE_TEXT_MAX = 40_000;

const BLOCK_FIELDS: Record<string, readonly string[]> = {
  section: ['type', 'block_id', 'text', 'fields', 'accessory', 'expand'],
  actions: ['type', 'block_id', 'elements'],
  context: ['type', 'block_id', 'elements'],
  divider: ['type', 'block_id'],
  header: ['type', 'block_id', 'text'],
  input: ['type', 'block_id', 'label', 'element', 'hint', 'optional', 'dispatch_action'],
  image: ['type', 'block_id', 'image_url', 'alt_text', 'title', 'slack_file'],
  markdown: ['type', 'block_id', 'text'],
  // Rich text nests its own element tree; Slack checks it, the bot does not build any.
  rich_text: ['type', 'block_id', 'elements'],
};

const VIEW_FIELDS: Record<'modal' | 'home', readonly string[]> = {
  modal: [
    'type',
    'title',
    'blocks',
    'close',
    'submit',
    'private_metadata',
    'callback_id',
    'clear_on_close',
    'notify_on_close',
    'external_id',
    'submit_disabled',
  ],
  home: ['type', 'blocks', 'private_metadata', 'callback_id', 'external_id'],
};

/**
 * Every Block Kit rule the bot could break, checked the way Slack refuses it: for a message
 * `invalid_blocks`, for a view `invalid_arguments`. Each problem reads `<what> [json-pointer:<where>]`,
 * as in Slack's `response_metadata.messages`. The emulator runs this on every call.
 */
export function blockKitProblems(surface: Surface, view: object): string[] {
  const payload = view as Json;
  const problems: string[] = [];
  const root = surface === 'message' ? '' : '/view';
  const report: Report = (pointer, message) => problems.push(`${message} [json-pointer:${pointer}]`);
  const blocks = list(payload.blocks);
  const maxBlocks = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (payload.blocks !== undefined && !Array.isArray(payload.blocks)) report(`${root}/blocks`, 'must be an array');
  if (blocks.length > maxBlocks) report(`${root}/blocks`, `must have at most ${maxBlocks} items (has ${blocks.length})`);
  if (surface === 'message' && blocks.length > 0 && !(typeof payload.text === 'string' && payload.text.trim())) {
    report('/text', 'a message with blocks needs a `text` fallback');
  }
  if (surface !== 'message') checkView(surface, payload, report);
  const blockIds = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    const at = `${root}/blocks/${i}`;
    if (!isObject(block)) {
      report(at, 'must be a block object');
      continue;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length === 0 || block.block_id.length > LIMITS.idLength) {
        report(`${at}/block_id`, `must be 1 to ${LIMITS.idLength} characters`);
      } else if (blockIds.has(block.block_id)) {
        report(`${at}/block_id`, `duplicate block_id \`${block.block_id}\``);
      }
      if (typeof block.block_id === 'string') blockIds.add(block.block_id);
    }
    checkBlock(block, at, report);
  }
  return problems;
}

function checkView(surface: 'modal' | 'home', view: Json, report: Report) {
  if (view.type !== surface) report('/view/type', `must be ${surface}`);
  unknownFields(view, VIEW_FIELDS[surface], '/view', report);
  if (!Array.isArray(view.blocks)) report('/view/blocks', 'is required');
  if (typeof view.callback_id === 'string' && view.callback_id.length > LIMITS.idLength) {
    report('/view/callback_id', `must be at most ${LIMITS.idLength} characters`);
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata) {
    report('/view/private_metadata', `must be at most ${LIMITS.privateMetadata} characters`);
  }
  if (surface === 'home') return;
  const title = { plainOnly: true, max: LIMITS.modalTitle, nonEmpty: true };
  if (view.title === undefined) report('/view/title', 'is required');
  else checkText(view.title, '/view/title', report, title);
  if (view.submit !== undefined) checkText(view.submit, '/view/submit', report, title);
  if (view.close !== undefined) checkText(view.close, '/view/close', report, title);
  const hasInputs = list(view.blocks).some((b) => isObject(b) && b.type === 'input');
  if (hasInputs && view.submit === undefined) report('/view/submit', 'is required when the view has input blocks');
}

function checkBlock(block: Json, at: string, report: Report) {
  const type = String(block.type);
  const fields = BLOCK_FIELDS[type];
  if (!fields) return report(`${at}/type`, `unknown block type \`${type}\``);
  unknownFields(block, fields, at, report);
  switch (type) {
    case 'header':
      checkText(block.text, `${at}/text`, report, { plainOnly: true, max: LIMITS.headerText, nonEmpty: true });
      break;
    case 'section': {
      if (block.text !== undefined) checkText(block.text, `${at}/text`, report, { max: LIMITS.sectionText, nonEmpty: true });
      const items = list(block.fields);
      if (items.length > LIMITS.sectionFields) report(`${at}/fields`, `must have at most ${LIMITS.sectionFields} items`);
      for (const [i, f] of items.entries()) {
        checkText(f, `${at}/fields/${i}`, report, { max: LIMITS.fieldText, nonEmpty: true });
      }
      if (block.text === undefined && items.length === 0) report(at, 'a section needs text or fields');
      if (block.accessory !== undefined) checkElement(block.accessory, `${at}/accessory`, 'accessory', report);
      break;
    }
    case 'actions': {
      const elements = list(block.elements);
      if (elements.length < 1 || elements.length > LIMITS.actionsElements) {
        report(`${at}/elements`, `must have 1 to ${LIMITS.actionsElements} items`);
      }
      const actionIds = new Set<string>();
      for (const [i, e] of elements.entries()) {
        checkElement(e, `${at}/elements/${i}`, 'actions', report);
        const id = isObject(e) ? e.action_id : undefined;
        if (typeof id === 'string') {
          if (actionIds.has(id)) report(`${at}/elements/${i}/action_id`, `duplicate action_id \`${id}\` in the block`);
          actionIds.add(id);
        }
      }
      break;
    }
    case 'context': {
      const elements = list(block.elements);
      if (elements.length < 1 || elements.length > LIMITS.contextElements) {
        report(`${at}/elements`, `must have 1 to ${LIMITS.contextElements} items`);
      }
      for (const [i, e] of elements.entries()) checkElement(e, `${at}/elements/${i}`, 'context', report);
      break;
    }
    case 'input':
      checkText(block.label, `${at}/label`, report, { plainOnly: true, max: 2000, nonEmpty: true });
      if (block.hint !== undefined) checkText(block.hint, `${at}/hint`, report, { plainOnly: true, max: 2000, nonEmpty: true });
      if (Array.isArray(block.element)) report(`${at}/element`, 'must be one element');
      else checkElement(block.element, `${at}/element`, 'input', report);
      break;
    case 'image':
      if (typeof block.alt_text !== 'string' || block.alt_text === '') report(`${at}/alt_text`, 'is required');
      if (block.title !== undefined) checkText(block.title, `${at}/title`, report, { plainOnly: true, max: 2000 });
      break;
  }
}

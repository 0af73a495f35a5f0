import { LIMITS } from './limits.ts';

type Json = Record<string, unknown>;
export type Surface = 'message' | 'modal' | 'home';

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const textOf = (v: unknown): string | undefined => (isObject(v) && typeof v.text === 'string' ? v.text : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Every Block Kit limit the bot could break, checked the way Slack would refuse it
 * (`invalid_blocks`). The emulator runs this on every call, so a test or the sandbox sees it.
 */
export function blockKitProblems(surface: Surface, view: object): string[] {
  const payload = view as Json;
  const problems: string[] = [];
  const blocks = list(payload.blocks);
  const maxBlocks = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks, more than ${maxBlocks} per ${surface}`);
  if (surface === 'message' && blocks.length > 0 && !(typeof payload.text === 'string' && payload.text.trim())) {
    problems.push('message with blocks has no `text` fallback');
  }
  if (surface === 'modal') checkModal(payload, problems);
  const blockIds = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    if (!isObject(block)) {
      problems.push(`block ${i} is not an object`);
      continue;
    }
    const at = `block ${i} (${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > LIMITS.idLength) problems.push(`${at}: block_id over ${LIMITS.idLength} chars`);
      if (blockIds.has(block.block_id)) problems.push(`${at}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    checkBlock(block, at, problems);
  }
  return problems;
}

function checkModal(view: Json, problems: string[]): void {
  for (const key of ['title', 'submit', 'close'] as const) {
    const t = textOf(view[key]);
    if (t !== undefined && t.length > LIMITS.modalTitle) problems.push(`modal ${key} over ${LIMITS.modalTitle} chars`);
  }
  if (textOf(view.title) === undefined) problems.push('modal has no title');
  const hasInputs = list(view.blocks).some((b) => isObject(b) && b.type === 'input');
  if (hasInputs && textOf(view.submit) === undefined) problems.push('modal with inputs has no submit button');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata) {
    problems.push(`private_metadata over ${LIMITS.privateMetadata} chars`);
  }
}

function checkBlock(block: Json, at: string, problems: string[]): void {
  const text = textOf(block.text);
  switch (block.type) {
    case 'header':
      if ((text ?? '').length > LIMITS.headerText) problems.push(`${at}: header over ${LIMITS.headerText} chars`);
      break;
    case 'section': {
      if (text !== undefined && text.length > LIMITS.sectionText) problems.push(`${at}: text over ${LIMITS.sectionText}`);
      if (text !== undefined && text.length === 0) problems.push(`${at}: empty text`);
      const fields = list(block.fields);
      if (fields.length > LIMITS.sectionFields) problems.push(`${at}: more than ${LIMITS.sectionFields} fields`);
      for (const f of fields) {
        if ((textOf(f) ?? '').length > LIMITS.fieldText) problems.push(`${at}: field over ${LIMITS.fieldText} chars`);
      }
      if (text === undefined && fields.length === 0) problems.push(`${at}: section needs text or fields`);
      if (block.accessory !== undefined) checkElement(block.accessory, at, problems);
      break;
    }
    case 'actions': {
      const elements = list(block.elements);
      if (elements.length > LIMITS.actionsElements) problems.push(`${at}: more than ${LIMITS.actionsElements} elements`);
      for (const e of elements) checkElement(e, at, problems);
      break;
    }
    case 'context':
      if (list(block.elements).length > LIMITS.contextElements) {
        problems.push(`${at}: more than ${LIMITS.contextElements} elements`);
      }
      break;
    case 'input':
      if (block.element !== undefined) checkElement(block.element, at, problems);
      if (textOf(block.label) === undefined) problems.push(`${at}: input has no label`);
      break;
  }
}

function checkElement(element: unknown, at: string, problems: string[]): void {
  if (!isObject(element)) return;
  if (typeof element.action_id === 'string' && element.action_id.length > LIMITS.idLength) {
    problems.push(`${at}: action_id over ${LIMITS.idLength} chars`);
  }
  if (element.type === 'button') {
    if ((textOf(element.text) ?? '').length > LIMITS.buttonText) problems.push(`${at}: button text over ${LIMITS.buttonText}`);
    if (typeof element.value === 'string' && element.value.length > LIMITS.buttonValue) {
      problems.push(`${at}: button value over ${LIMITS.buttonValue}`);
    }
  }
  const options = [...list(element.options), ...list(element.option_groups).flatMap((g) => list(isObject(g) ? g.options : []))];
  if (options.length > LIMITS.selectOptions) problems.push(`${at}: more than ${LIMITS.selectOptions} options`);
  for (const option of options) {
    if (!isObject(option)) continue;
    if ((textOf(option.text) ?? '').length > LIMITS.optionText) problems.push(`${at}: option text over ${LIMITS.optionText}`);
    if (typeof option.value === 'string' && option.value.length > LIMITS.optionValue) {
      problems.push(`${at}: option value over ${LIMITS.optionValue}`);
    }
  }
}

import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { REASON_MAX } from '../../../views/modals/admin.ts';
import { CALLBACKS } from '../../../views/modals/kit.ts';
import { CRITERION_NOTE_MAX, DENIAL_MAX } from '../../../views/modals/stage1.ts';
import { GAP_DESCRIPTION_MAX, MESSAGE_MAX } from '../../../views/modals/stage2.ts';
import { conflictNotice, missingNotice, refusalNotice } from '../../../views/notices.ts';
import type { MessageView } from '../../../views/types.ts';
import { applyDecision } from '../../reviews/decide.ts';
import type { ReviewContext } from '../../reviews/review-context.ts';
import {
  BUSINESS_CRITERIA,
  CONTROL_AREA_IDS,
  type ControlArea,
  type CriterionId,
  SEVERITIES,
  type Severity,
} from '../../workflow/controls.ts';
import type { Command, CriterionResult } from '../../workflow/rules.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import { notifyPerson } from '../notify.ts';
import type { Routes } from '../routes.ts';
import { EXIT_PARSERS } from './exit-parsers.ts';
import { formAgain } from './form-again.ts';
import { LATE_PARSERS } from './late-parsers.ts';
import { nextReviewPage } from './review-pages.ts';
import { FormReader, parseMeta, type StateValues, shownValues } from './values.ts';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
/** Parsers that read the application (open gaps, questions sent…) get its context; the others skip the read. */
type Parse = (form: FormReader, ctx: ReviewContext | undefined) => Command | undefined;

const prefixed = (values: StateValues, prefix: string) =>
  Object.keys(values)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));

/** One parser per modal: form → workflow command. Field problems go to `form.errors`. */
const PARSERS: Record<string, Parse> = {
  [CALLBACKS.businessReview]: (form, ctx) => {
    const criteria = {} as Record<CriterionId, CriterionResult>;
    const applying = ctx?.state.track?.criteria ?? BUSINESS_CRITERIA.map((c) => c.id);
    for (const c of BUSINESS_CRITERIA.filter((c) => applying.includes(c.id))) {
      const verdict = form.choice(`criterion.${c.id}`, ['pass', 'fail'] as const);
      const note = form.text(`note.${c.id}`, { max: CRITERION_NOTE_MAX });
      if (verdict) criteria[c.id] = { pass: verdict === 'pass', ...(note ? { note } : {}) };
    }
    const decision = form.choice('decision', ['advance', 'reject'] as const);
    const denialText = form.text('denial_text', { max: DENIAL_MAX });
    return decision ? { type: 'business_review', criteria, decision, denialText } : undefined;
  },
  [CALLBACKS.recordGap]: (form, ctx) => {
    const area = form.choice('area', CONTROL_AREA_IDS);
    const severity = form.choice('severity', SEVERITIES);
    const description = form.text('description', { required: true, max: GAP_DESCRIPTION_MAX });
    const answerNumbers = (ctx?.profile.securityAnswers ?? []).map((_, i) => String(i + 1));
    const securityAnswer = form.choice('security_answer', answerNumbers, { required: false });
    return area && severity
      ? { type: 'record_gap', area, severity, description, ...(securityAnswer ? { securityAnswer: Number(securityAnswer) } : {}) }
      : undefined;
  },
  [CALLBACKS.resolveGap]: (form, ctx) => {
    const gap = form.choice(
      'gap',
      (ctx?.openGaps ?? []).map((g) => String(g.id)),
    );
    const resolution = form.text('resolution', { required: true, max: GAP_DESCRIPTION_MAX });
    return gap ? { type: 'resolve_gap', gapId: Number(gap), resolution } : undefined;
  },
  [CALLBACKS.requestInformation]: (form) => ({
    type: 'request_information',
    message: form.text('message', { required: true, max: MESSAGE_MAX }),
  }),
  [CALLBACKS.recordAnswers]: (form, ctx) => {
    const ids = ctx?.questionnaire?.questions.map((q) => q.id) ?? [];
    const answers = ids.map((questionId) => ({ questionId, answer: form.text(`answer.${questionId}`, { max: 3000 }) }));
    if (!answers.some((a) => a.answer)) form.fail(`answer.${ids[0]}`, 'Paste at least one answer.');
    return { type: 'record_answers', answers: answers.filter((a) => a.answer) };
  },
  [CALLBACKS.reviewAnswers]: (form, ctx) => {
    const areas = new Map(ctx?.questionnaire?.questions.map((q) => [q.id, q.area as ControlArea]) ?? []);
    const verdicts = ['accept', 'accept_resolve', ...SEVERITIES.map((s) => `gap:${s}` as const)] as const;
    const judgedGap = new Set((ctx?.answers ?? []).filter((a) => a.review === 'gap').map((a) => a.questionId));
    const reviews = [];
    for (const questionId of prefixed(form.values, 'verdict.')) {
      const verdict = form.choice(`verdict.${questionId}`, verdicts, { required: false });
      const description = form.text(`note.${questionId}`, { max: GAP_DESCRIPTION_MAX });
      if (!verdict) continue;
      if (verdict.startsWith('gap:') && judgedGap.has(questionId)) {
        // Its view offers no note: the answer already raised a gap, and may only be accepted.
        form.fail(`verdict.${questionId}`, 'This answer already raised a gap: accept it, or leave it.');
        continue;
      }
      if (verdict === 'accept') reviews.push({ questionId, verdict: 'accept' as const });
      else if (verdict === 'accept_resolve') reviews.push({ questionId, verdict: 'accept' as const, resolveGap: true });
      else if (!description) form.fail(`note.${questionId}`, 'Say what is missing, so the developer can fix it.');
      else
        reviews.push({
          questionId,
          verdict: 'gap' as const,
          area: areas.get(questionId) ?? 'data_governance',
          severity: verdict.slice(4) as Severity,
          description,
        });
    }
    const first = prefixed(form.values, 'verdict.')[0];
    if (reviews.length === 0 && form.ok && first !== undefined)
      form.fail(`verdict.${first}`, 'Give a verdict on at least one answer.');
    return { type: 'review_answers', reviews };
  },
  [CALLBACKS.assign]: (form) => {
    const assigneeId = form.user('assignee');
    return assigneeId ? { type: 'assign', assigneeId } : undefined;
  },
  [CALLBACKS.withdraw]: (form) => ({ type: 'withdraw', reason: form.text('reason', { required: true, max: REASON_MAX }) }),
  [CALLBACKS.reopen]: (form) => ({ type: 'reopen', reason: form.text('reason', { required: true, max: REASON_MAX }) }),
};

const NEEDS_CONTEXT = new Set([
  'record_gap',
  'business_review',
  'resolve_gap',
  'record_answers',
  'review_answers',
  'mark_answered',
  'close_remediation',
  'developer_replied',
]);

/**
 * The field errors Slack can show: those under an input the submitted view has. Slack refuses
 * an answer that names any other block ("We had some trouble connecting"), and the person
 * would be stuck. Errors only under inputs the view lacks mean the form no longer fits the
 * application (its settings changed since it was opened): the modal closes and they are told.
 */
function shownErrors(errors: Record<string, string>, view: { blocks?: unknown }) {
  const inputs = new Set(
    (Array.isArray(view.blocks) ? (view.blocks as { type?: unknown; block_id?: unknown }[]) : []).flatMap((b) =>
      b?.type === 'input' && typeof b.block_id === 'string' ? [b.block_id] : [],
    ),
  );
  const entries = Object.entries(errors);
  const shown = entries.filter(([block]) => inputs.has(block));
  return { shown: Object.fromEntries(shown), unfit: shown.length === 0 && entries.length > 0 };
}

/** The input a refusal is shown under, when the rules name a field. */
function blockFor(field: string | undefined, form: FormReader): string | undefined {
  if (!field) return undefined;
  return Object.hasOwn(form.values, field) ? field : undefined;
}

/**
 * A submitted decision modal: validate the inputs (errors under them), then one use case
 * call against the version the modal was opened on. The modal closes on success; a refusal
 * with a field stays in the modal; anything else is told to the user as an ephemeral.
 */
function submitDecision(deps: ListenerDeps, parse: Parse) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    const user = body.user.id;
    const tell = (notice: MessageView) => notifyPerson(deps, user, notice);
    const fieldErrors = async (errors: Record<string, string>) => {
      const { shown, unfit } = shownErrors(errors, view);
      if (!unfit) return ack({ response_action: 'errors', errors: shown });
      await ack();
      return tell(refusalNotice('This form no longer fits the application: open it again from the card.'));
    };
    const meta = parseMeta(view.private_metadata);
    if (!meta) {
      await ack();
      return tell(refusalNotice('This form does not belong to an application.'));
    }
    try {
      const form = new FormReader(shownValues(view));
      // A form checked against the application reads it in the decision's own lock; the others
      // are read first, so a meeting's architect can be looked up before the transaction.
      const reads = NEEDS_CONTEXT.has(view.callback_id);
      const command = reads
        ? {
            name: view.callback_id,
            read: (context: ReviewContext) => {
              const read = parse(form, context);
              return form.ok ? read : undefined;
            },
          }
        : parse(form, undefined);
      if (!command || !form.ok) return fieldErrors(form.errors);
      const scheduling = 'type' in command && (command.type === 'schedule_review' || command.type === 'reschedule_review');
      const architectTimeZone = scheduling ? await deps.timeZones.of(command.architectId) : undefined;
      // A refusal of this one states the approval's time, as plain text: in the person's own zone.
      const actorTimeZone =
        'type' in command && command.type === 'record_restricted_call' ? await deps.timeZones.of(user) : undefined;
      const result = await applyDecision(deps, {
        applicationId: meta.id,
        seenVersion: meta.v,
        actorId: user,
        command,
        // Slack keeps a view's id when it shows another page in it (response_action update,
        // views.update): the version it was built on tells one page from the next, and a
        // repeat of the same page (a double click, a retry) still carries the same key.
        requestKey: `view:${view.id}:${meta.v}`,
        ...(architectTimeZone ? { architectTimeZone } : {}),
        ...(actorTimeZone ? { actorTimeZone } : {}),
      });
      switch (result.kind) {
        case 'invalid':
          return fieldErrors(form.errors);
        case 'done': {
          const next = view.callback_id === CALLBACKS.reviewAnswers ? await nextReviewPage(deps, view, user) : undefined;
          await ack(next ? { response_action: 'update', view: next } : undefined);
          deps.onCommitted();
          return;
        }
        case 'duplicate':
          return ack();
        case 'refused': {
          const block = blockFor(result.refusal.field, form);
          if (block) return ack({ response_action: 'errors', errors: { [block]: result.refusal.message } });
          await ack();
          return tell(refusalNotice(result.refusal.message));
        }
        case 'conflict': {
          const again = await formAgain(deps, { view, user, values: form.values, conflict: result });
          if (again) return ack({ response_action: 'update', view: again });
          await ack();
          return tell(conflictNotice(result));
        }
        case 'not_found':
          await ack();
          return tell(missingNotice(meta.id));
      }
    } catch (error) {
      deps.logger.error({ err: error, user, callbackId: view.callback_id }, 'decision failed');
      await ack().catch(() => {});
      await tell({ text: SOMETHING_WENT_WRONG, blocks: [] });
    }
  };
}

export function registerDecisionViews(routes: Routes, deps: ListenerDeps): void {
  for (const [callbackId, parse] of Object.entries({ ...PARSERS, ...LATE_PARSERS, ...EXIT_PARSERS }))
    routes.view(callbackId, submitDecision(deps, parse));
}

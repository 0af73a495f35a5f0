import { describe, expect, it } from 'vitest';
import { ADMIN_HELD, COMMAND_KINDS, FINAL_BY_DESIGN } from '../../../src/workflow/book.ts';
import type { Role } from '../../../src/workflow/roles.ts';
import { ALLOWED_ROLES, type CommandType, decide, type WorkflowState } from '../../../src/workflow/rules.ts';
import { ADMIN, candidateCommands, developerSteps, initialStates, key, NOW, systemSteps, teamStep } from './model.ts';

/**
 * Walks every state the workflow can reach from a new application (public and private), through
 * every command the team may give and everything the developer may do through intake, and
 * checks that none is a dead end: from each one the team alone (no admin, no developer: they
 * mostly answer by e-mail) can carry the application to the end of its course without ending
 * it short, unless the state is final by design (FINAL_BY_DESIGN). Time passes too (the sweep puts
 * access at risk), and a state only an admin's decision leads to (ADMIN_HELD: suspended access)
 * may wait on an admin's decision to leave it.
 */
type Node = { state: WorkflowState; forward: string[] };

function walk(): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const queue = initialStates();
  const seen = new Set(queue.map(key));
  const visit = (next: WorkflowState) => {
    const k = key(next);
    if (seen.has(k)) return k;
    seen.add(k);
    queue.push(next);
    return k;
  };
  while (queue.length > 0) {
    const state = queue.shift() as WorkflowState;
    if (nodes.size > 20_000) throw new Error('the model does not close: the state space keeps growing');
    const forward: string[] = [];
    for (const command of candidateCommands(state)) {
      const next = teamStep(state, command);
      if (next) {
        const k = visit(next);
        if (COMMAND_KINDS[command.type] !== 'exit') forward.push(k);
        continue;
      }
      // What only an admin may do (withdraw, reopen) is reachable, but is no way forward for the team,
      // except out of a state an admin's decision put it in.
      const byAdmin = teamStep(state, command, ADMIN);
      if (byAdmin) {
        const k = visit(byAdmin);
        if (COMMAND_KINDS[command.type] !== 'exit' && ADMIN_HELD.some((h) => h.holds(state))) forward.push(k);
      }
    }
    // Reached states include what intake brings and what time does, but a way forward may not wait on them.
    for (const step of [...developerSteps(state), ...systemSteps(state)]) visit(step.next);
    nodes.set(key(state), { state, forward });
  }
  return nodes;
}

const nodes = walk();
const isFinal = (s: WorkflowState) => FINAL_BY_DESIGN.some((f) => f.holds(s));
const endOfCourse = FINAL_BY_DESIGN.find((f) => f.name === 'approved, live, audit passed');

/** The states from which the team can reach the end of the course without an exit. */
function canFinish(): Set<string> {
  const done = new Set([...nodes].filter(([, n]) => endOfCourse?.holds(n.state)).map(([k]) => k));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [k, n] of nodes) {
      if (!done.has(k) && n.forward.some((f) => done.has(f))) {
        done.add(k);
        changed = true;
      }
    }
  }
  return done;
}
const finishing = canFinish();

/** A state in a line: stage/status, then only the sub-state that is set. */
function label(s: WorkflowState): string {
  const parts = [`${s.stage}/${s.status}`, s.track?.name ?? 'public'];
  if (s.openGaps.length) parts.push(`gaps ${s.openGaps.length}`);
  if (s.questionnaireSkipped) parts.push('questionnaire skipped');
  else if (s.questionnaire) parts.push(`answers [${s.answers.map((a) => `${a.questionId} ${a.review}`).join(', ')}]`);
  if (s.meeting) parts.push(`meeting ${s.meeting.status}`);
  if (s.openQuestions.length) parts.push(`questions ${s.openQuestions.length}`);
  if (s.productionSince) parts.push('live');
  if (s.audit) parts.push(`audit ${s.audit.status}${s.openRemediation.length ? ` (${s.openRemediation.length} open)` : ''}`);
  if (s.access) parts.push(`access ${s.access}`);
  if (!s.assigneeId) parts.push('unassigned');
  if ((s.cycle?.number ?? 1) > 1)
    parts.push(`later cycle (last ended at ${s.cycle?.lastEndedAtStage}${s.cycle?.fastTracked ? ', fast-tracked' : ''})`);
  if (s.roleReview) parts.push(`role review [${s.roleReview.stages.join(', ')}]`);
  if (s.approvedAt && s.stage !== 'approved') parts.push('approved before');
  return parts.join(' · ');
}
const open = [...nodes.values()].filter((n) => !isFinal(n.state));

describe('dead ends', () => {
  it('walks a closed, non-trivial state space', () => {
    const pairs = new Set([...nodes.values()].map((n) => `${n.state.stage}/${n.state.status}`));
    expect([...pairs].sort()).toEqual([
      'approved/approved',
      'architecture/in_review',
      'architecture/new',
      'architecture/waiting_on_developer',
      'business/in_review',
      'business/new',
      'closed/rejected',
      'closed/withdrawn',
      'security/in_review',
      'security/waiting_on_developer',
    ]);
    expect(nodes.size).toBeGreaterThan(100);
    for (const final of FINAL_BY_DESIGN)
      expect(
        [...nodes.values()].some((n) => final.holds(n.state)),
        final.name,
      ).toBe(true);
  });

  // The old dead end: a gap verdict, its gap resolved, nothing pending. It must be reachable and not dead.
  it('reaches the state of issue 10 (a gap-verdict answer, no gap open, nothing pending) and finds a way out', () => {
    const stuck = [...nodes].find(
      ([, n]) =>
        n.state.stage === 'security' &&
        n.state.status === 'in_review' &&
        n.state.openGaps.length === 0 &&
        n.state.answers.some((a) => a.review === 'gap') &&
        !n.state.answers.some((a) => a.review === 'pending'),
    );
    expect(stuck).toBeDefined();
    expect(finishing.has(stuck?.[0] ?? '')).toBe(true);
  });

  for (const n of open) {
    it(`${label(n.state)}: the team can carry it on`, () => {
      expect(n.forward.length).toBeGreaterThan(0);
      expect(finishing.has(key(n.state))).toBe(true);
    });
  }

  // A review that fails must be endable at every open step: denied (Stages 1–3) or withdrawn by an admin.
  for (const n of open.filter((o) => o.state.stage !== 'approved')) {
    it(`${label(n.state)}: can be ended short of approval`, () => {
      const env = { now: NOW, rolesOf: () => new Set<Role>() };
      const exits = candidateCommands(n.state).filter(
        (c) => COMMAND_KINDS[c.type] === 'exit' && decide(n.state, c, ADMIN, env).ok,
      );
      expect(exits.map((c) => c.type)).toContain('withdraw');
      if (n.state.stage !== 'business') {
        expect(exits.map((c) => c.type).some((t) => t === 'deny_security' || t === 'deny_architecture')).toBe(true);
      }
    });
  }

  it('reaches later cycles (a resubmission after a rejection, withdrawal or revocation) and fast-tracks them to where the last ended', () => {
    const later = [...nodes.values()].filter((n) => (n.state.cycle?.number ?? 1) > 1);
    expect(later.some((n) => n.state.stage === 'business' && n.state.status === 'new')).toBe(true);
    const ends = new Set(later.map((n) => n.state.cycle?.lastEndedAtStage));
    // `approved`: the cycle ended with its access revoked.
    expect([...ends].sort()).toEqual(['approved', 'architecture', 'business', 'security']);
    expect(later.some((n) => n.state.cycle?.fastTracked && n.state.stage === 'architecture')).toBe(true);
    expect(later.some((n) => n.state.cycle?.fastTracked && n.state.stage === 'security')).toBe(true);
    for (const n of later.filter((l) => !isFinal(l.state))) expect(finishing.has(key(n.state)), label(n.state)).toBe(true);
  });

  it('reaches role reviews (a restricted role added to an approved application), with and without a Stage 3 meeting', () => {
    const reviews = [...nodes.values()].filter((n) => n.state.roleReview);
    expect(reviews.some((n) => n.state.stage === 'business')).toBe(true);
    expect(reviews.some((n) => n.state.stage === 'architecture' && n.state.roleReview?.stages.includes('architecture'))).toBe(
      true,
    );
    // The production life is kept through the role review: no state of one is closed or loses its approval.
    for (const n of reviews) {
      expect(n.state.stage).not.toBe('closed');
      expect(n.state.approvedAt).toBeTruthy();
      expect(finishing.has(key(n.state)), label(n.state)).toBe(true);
      // Revoking access ends a role review under way: no review is left to decide on revoked access.
      expect(n.state.access, label(n.state)).not.toBe('revoked');
    }
  });

  it('reaches every access state after approval, and a failed audit', () => {
    const reached = new Set([...nodes.values()].map((n) => n.state.access ?? null));
    expect([...reached].sort()).toEqual(['active', 'at_risk', 'revoked', 'suspended', null].sort());
    expect([...nodes.values()].some((n) => n.state.audit?.status === 'failed')).toBe(true);
    // A failed audit leaves the way on: a new audit, or an admin's suspension.
    const failed = [...nodes].filter(([, n]) => n.state.audit?.status === 'failed' && n.state.access === 'active');
    expect(failed.length).toBeGreaterThan(0);
    for (const [k] of failed) expect(finishing.has(k)).toBe(true);
  });

  it('classifies every command of the rule book', () => {
    expect(Object.keys(COMMAND_KINDS).sort()).toEqual((Object.keys(ALLOWED_ROLES) as CommandType[]).sort());
  });
});

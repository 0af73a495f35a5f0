import type { BenchDatabase } from './database.ts';

/**
 * Bulk seeding with `INSERT … SELECT generate_series`, never row by row. Application i was
 * received i × 1728 s before `now` (50 a day), so 10,000 and then 100,000 applications are
 * the same recent backlog with ten times the history behind it. Every 100th application
 * (i % 100 = 50) has a reminder due, cycling stale / waiting / no call / audit due, so 1%
 * is due; everything else is arranged not to be (recent status, restricted calls, audits).
 */
const ROW = `
  with base as (
    select i,
      abs(hashtext('a' || i)) % 1000 as u1, abs(hashtext('b' || i)) % 1000 as u2, abs(hashtext('c' || i)) % 1000 as u3,
      case when i % 100 = 50 then (i / 100) % 4 end as due,
      i / 50.0 as age_days
    from generate_series($1::int, $2::int) as i
  ), classed as (
    select *,
      $3::timestamptz - i * interval '1728 seconds'
        - case when due = 3 then interval '110 days' when due is not null then interval '45 days' else interval '0' end as received,
      case
        when due in (0, 1) then 'open'
        when due in (2, 3) then 'approved'
        when age_days < 14 and u1 < 800 then 'open'
        when age_days < 60 and u1 < 300 then 'open'
        when u2 < 450 then 'approved'
        when u2 < 850 then 'rejected'
        else 'withdrawn'
      end as fate
    from base
  ), shaped as (
    select *,
      case
        when due = 0 then case when u2 < 500 then 'business' else 'security' end
        when due = 1 then 'security'
        when fate = 'open' then case when u2 < 400 then 'business' when u2 < 750 then 'security' else 'architecture' end
        when fate = 'approved' then 'approved'
        else 'closed'
      end as stage
    from classed
  ), stated as (
    select *,
      case
        when due = 0 then 'in_review'
        when due = 1 then 'waiting_on_developer'
        when fate <> 'open' then fate
        when stage = 'business' then case when u3 < 500 then 'new' else 'in_review' end
        when stage = 'security' then case when u3 < 600 then 'in_review' else 'waiting_on_developer' end
        else case when u3 < 800 then 'in_review' else 'waiting_on_developer' end
      end as status,
      case when fate = 'approved'
        then least(received + (case when due is not null then 5 else 20 + u3 % 40 end) * interval '1 day', $3::timestamptz - interval '1 hour')
      end as approved,
      (array['Northwind','Contoso','Globex','Initech','Umbrella','Stark','Wayne','Acme'])[1 + i % 8] || ' '
        || (array['Commerce','Logistics','Retail','Labs'])[1 + (i / 8) % 4] || ' ' || i as org
    from shaped
  )
  select *,
    -- Denormalised facts, as the app keeps them: the last restricted call and the audit's status.
    -- Recent enough that access stays active (RESTRICTED_CALL_INACTIVITY_DAYS), as calls keep coming.
    case when fate = 'approved' and due is distinct from 2
      then least(greatest(approved + interval '3 days', $3::timestamptz - interval '30 days'), $3::timestamptz - interval '1 hour') end as call_at,
    case when live < $3::timestamptz - interval '60 days' and due is distinct from 3
      then case when live < $3::timestamptz - interval '100 days' then 'passed' else 'scheduled' end end as audit
  from (
    select *,
      case
        when due = 3 or (fate = 'approved' and due is null and u3 < 700)
          then least(approved + interval '1 day' * case when due = 3 then 1 else 10 end, $3::timestamptz - interval '1 hour')
      end as live,
      case
        when due is not null then received + interval '1 day'
        when fate = 'open' then greatest(received, $3::timestamptz - (u3 % 96) * interval '1 hour')
        when fate = 'approved' then approved
        else least(received + (u3 % 30) * interval '1 day', $3::timestamptz - interval '1 hour')
      end as since
    from stated
  ) as dated`;

const INSERT_APPLICATIONS = `
  insert into applications (id, profile_id, organization_name, submission, content_hash, stage, status, assignee_id, version,
    submitted_at, received_at, updated_at, status_since, card_channel, card_ts, architect_id, approved_at, production_since, purged_at,
    last_restricted_call_at, audit_status, access_status, access_since)
  overriding system value
  select i, 'amzn1.sellerapps.profile.seed' || i, org,
    jsonb_build_object(
      'profileId', 'amzn1.sellerapps.profile.seed' || i,
      'organization', jsonb_build_object('name', org, 'website', 'https://org' || i || '.example.com', 'country', 'DE'),
      'contact', jsonb_build_object('name', 'Dana Developer', 'email', 'dana' || i || '@example.com', 'phone', '+49 30 1234567'),
      'developerType', 'public',
      'roles', '["Direct-to-Consumer Shipping","Pricing"]'::jsonb,
      'marketplaces', '["EU","DE","FR"]'::jsonb,
      'useCase', 'Prints shipping labels for merchants who fulfil their own orders.',
      'businessDescription', 'Shipping software for small merchants.',
      'launchReadiness', 'in_production',
      'piiRetention', '<31',
      'securityAnswers', '[{"topic":"encryption at rest","answer":"AES-256 with AWS KMS; keys rotated yearly."}]'::jsonb,
      'impoc', jsonb_build_object('name', 'Ivan Incident', 'email', 'security' || i || '@example.com')),
    md5(i::text), stage, status,
    case when stage = 'business' and status = 'new' then null when u3 % 2 = 0 then 'U0REVIEW01' else 'U0REVIEW02' end,
    1 + u3 % 12,
    received - interval '1 hour', received, since, since,
    'G0PIIREVIEW', (1700000000 + i) || '.000100',
    case when stage in ('architecture', 'approved') then 'U0ARCHIT01' end,
    approved, live,
    case when status in ('rejected', 'withdrawn') and since < $3::timestamptz - interval '180 days' then since + interval '180 days' end,
    call_at, audit,
    case when approved is not null then 'active' end, approved
  from (${ROW}) as r`;

const INSERT_EVENTS = `
  insert into events (application_id, type, actor, at, payload)
  select a.id,
    case k when 0 then 'application.received' when 1 then 'application.claimed' when 2 then 'business_review.passed'
      when 3 then 'gap.recorded' when 4 then 'information.requested' when 5 then 'application.updated'
      when 6 then 'questionnaire.sent' when 7 then 'questionnaire.answers_recorded' when 8 then 'security.passed'
      else case a.status when 'approved' then 'review.approved' when 'rejected' then 'business_review.rejected'
        when 'withdrawn' then 'application.withdrawn' else 'application.updated' end
    end,
    case when k = 0 then 'intake' else coalesce(a.assignee_id, 'U0REVIEW01') end,
    a.received_at + k * greatest(a.status_since - a.received_at, interval '10 minutes') / 9,
    case
      when k = 0 then jsonb_build_object('stage', 'business', 'status', 'new', 'roles', '["Pricing"]'::jsonb)
      when k = 9 then jsonb_build_object('before', jsonb_build_object('stage', 'security', 'status', 'in_review'),
        'after', jsonb_build_object('stage', a.stage, 'status', a.status))
      else jsonb_build_object('note', 'seeded history line ' || k, 'changedFields', '["useCase"]'::jsonb)
    end
  from applications a cross join generate_series(0, 9) as k
  where a.id between $1 and $2
  order by a.id, k`;

const INSERT_SIDE_ROWS = [
  // Approved applications keep calling the restricted API, except those due a "no call" reminder.
  `insert into restricted_calls (application_id, at, operation, recorded_by, recorded_at)
   select id, last_restricted_call_at, 'getOrders', 'intake', last_restricted_call_at
   from applications where id between $1 and $2 and last_restricted_call_at is not null`,
  // Live for 60+ days: the audit is scheduled (soon, not tomorrow) or, past 100 days, passed.
  `insert into audits (application_id, auditor, scheduled_for, status, scheduled_by, outcome_at)
   select id, 'Avery Auditor',
     case when audit_status = 'passed' then production_since + interval '95 days'
       else $3::timestamptz + (3 + id % 14) * interval '1 day' end,
     audit_status, 'U0REVIEW01',
     case when audit_status = 'passed' then production_since + interval '95 days' end
   from applications where id between $1 and $2 and audit_status is not null`,
  `insert into meetings (application_id, architect_id, starts_at, duration_minutes, agenda, status, scheduled_by, created_at, updated_at)
   select id, 'U0ARCHIT01', $3::timestamptz + (2 + id % 9) * interval '1 day', 60, 'Data flows; access control', 'scheduled',
     coalesce(assignee_id, 'U0REVIEW01'), status_since, status_since
   from applications where id between $1 and $2 and stage = 'architecture'`,
  `insert into gaps (application_id, area, severity, description, raised_by, raised_at)
   select id, 'incident_response', 'high', 'No 24 h breach notification commitment.', coalesce(assignee_id, 'U0REVIEW01'), status_since
   from applications where id between $1 and $2 and stage = 'security'`,
];

const placeholders = (statement: string) => Math.max(0, ...[...statement.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

/** Seeds applications from..to (inclusive) with 10 events each and their side rows, in chunks. */
export async function seedApplications(database: BenchDatabase, from: number, to: number, now: Date, chunk = 10_000) {
  for (let start = from; start <= to; start += chunk) {
    const end = Math.min(to, start + chunk - 1);
    const params = [start, end, now.toISOString()];
    await database.raw(INSERT_APPLICATIONS, params);
    await database.raw(INSERT_EVENTS, [start, end]);
    for (const statement of INSERT_SIDE_ROWS) await database.raw(statement, params.slice(0, placeholders(statement)));
  }
  await database.raw(`select setval(pg_get_serial_sequence('applications', 'id'), (select max(id) from applications))`);
  // What autovacuum has done to tables that grew over months: statistics for the planner, and the
  // visibility map, without which an index-only scan reads every heap page it counts.
  await database.raw('vacuum analyze');
}

/** How the seeded applications spread, for the report. */
export async function spread(database: BenchDatabase): Promise<Record<string, number>> {
  const rows = await database.raw<{ status: string; n: number }>(
    `select status, count(*)::int as n from applications group by status
     union all select 'events', count(*)::int from events`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

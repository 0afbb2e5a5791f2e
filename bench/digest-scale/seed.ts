import { sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Db } from '../../src/db/client.ts';
import { slugifyName } from '../../src/domain/people.ts';

/** Rows seeded per table. */
export interface SeededRows {
  timeOff: number;
  supplies: number;
  complaints: number;
  repVisits: number;
  total: number;
}

/** How much history a practice has and the instant the benchmark treats as now. */
export interface SeedPlan {
  office: OfficeConfig;
  years: number;
  now: DateTime;
  /** a fixed seed, so every run seeds the same history */
  seed: number;
}

// Each person files 15–25 requests a year; people file up to this many days ahead.
const TIME_OFF_PER_YEAR = [15, 25] as const;
const TIME_OFF_DAYS_AHEAD = 120;
// Per 20 staff: a few supply requests a week and a few complaints a month.
const SUPPLIES_PER_WEEK_PER_20 = 3;
const COMPLAINTS_PER_MONTH_PER_20 = 3;
// Share of rep slots booked; visits are booked up to REP_DEFAULTS.maxWeeksAhead (8) ahead.
const REP_SLOT_BOOKED = 0.8;
const REP_WEEKS_AHEAD = 8;
const COMPANIES = [
  'Pfizer',
  'Merck',
  'AstraZeneca',
  'Novartis',
  'Medline',
  'McKesson',
  'Henry Schein',
  'Abbott',
  'Eli Lilly',
  'GSK',
  'Sanofi',
  'Boehringer Ingelheim',
];

/** A small deterministic generator (mulberry32), for the per-person counts decided in TypeScript. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function toIsoDay(value: DateTime): string {
  const day = value.toISODate();
  if (!day) throw new Error('invalid date');
  return day;
}

/**
 * Seeds `years` of history for the office in one transaction with a handful of INSERT … SELECT statements
 * over generate_series (never a row at a time): time off, supply requests and stock, complaints and rep
 * visits, with the statuses a live practice has (old requests decided, recent ones partly pending). Rows
 * go in in filing order, as a live table fills, then VACUUM ANALYZE, as autovacuum would have run.
 */
export async function seedHistory(db: Db, plan: SeedPlan): Promise<SeededRows> {
  const { office, years, now } = plan;
  const zone = office.office.timezone;
  const officeId = office.office.id;
  const local = now.setZone(zone);
  const today = toIsoDay(local);
  const historyStart = toIsoDay(local.minus({ years }));
  const repEnd = toIsoDay(local.plus({ weeks: REP_WEEKS_AHEAD }));
  const nowIso = now.toUTC().toISO();
  const historyStartIso = local.minus({ years }).toUTC().toISO();
  const spanDays = Math.round(
    local.plus({ days: TIME_OFF_DAYS_AHEAD }).diff(local.minus({ years }), 'days').days,
  );
  const random = createRandom(plan.seed);

  const staff = office.staff.map((member, index) => ({
    ord: index + 1,
    key: `staff:${slugifyName(member.name)}`,
    name: member.name,
    role: member.role ?? null,
    user_id: member.slack ?? slugifyName(member.name),
    requests: Math.round(
      ((TIME_OFF_PER_YEAR[0] + random() * (TIME_OFF_PER_YEAR[1] - TIME_OFF_PER_YEAR[0])) * spanDays) / 365,
    ),
  }));
  const manager = office.staff.find((member) => member.manager) ?? office.staff[0];
  if (!manager) throw new Error('the office has no staff');
  const managerKey = `staff:${slugifyName(manager.name)}`;
  const managerUserId = manager.slack ?? slugifyName(manager.name);
  const catalog = office.supplies.catalog.map((item, index) => ({
    ord: index + 1,
    sku: item.sku,
    name: item.name,
    unit: item.unit,
    par: item.par,
    price_cents: item.price === undefined ? null : Math.round(item.price * 100),
  }));
  const repSlots = office.reps.slots.map((slot) => ({
    isodow: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(slot.day) + 1,
    time: slot.time,
  }));
  const staffCount = staff.length;
  const weeks = (years * 365) / 7;
  const supplyCount = Math.max(1, Math.round(((SUPPLIES_PER_WEEK_PER_20 * staffCount) / 20) * weeks));
  const complaintCount = Math.max(
    1,
    Math.round(((COMPLAINTS_PER_MONTH_PER_20 * staffCount) / 20) * years * 12),
  );

  await db.transaction(async (tx) => {
    // Years of history are written in a few large statements, longer than the app's 5 s statement deadline.
    await tx.execute(sql`set local statement_timeout = 0`);
    await tx.execute(sql`select setseed(${(plan.seed % 1000) / 1000})`);
    await tx.execute(sql`
      create temp table bench_staff (ord int primary key, key text, name text, role text, user_id text,
        requests int) on commit drop`);
    await tx.execute(sql`
      insert into bench_staff select * from json_to_recordset(${JSON.stringify(staff)}::json)
        as s(ord int, key text, name text, role text, user_id text, requests int)`);
    await tx.execute(sql`
      create temp table bench_catalog (ord int primary key, sku text, name text, unit text, par int,
        price_cents int) on commit drop`);
    await tx.execute(sql`
      insert into bench_catalog select * from json_to_recordset(${JSON.stringify(catalog)}::json)
        as c(ord int, sku text, name text, unit text, par int, price_cents int)`);

    // Time off: start days spread over the history and the months ahead, moved off weekends; about half
    // single days (a fifth of those half days), the rest 2–5 or 6–14 days; filed 1–120 days ahead (mostly
    // a few weeks), sick days on the day. Requests filed more than a week ago or already started are
    // decided; recent upcoming ones are partly pending.
    await tx.execute(sql`
      with base as (
        select s.key, s.name, s.role, s.user_id,
          ${historyStart}::date + floor(random() * ${spanDays})::int as start0,
          random() as r_len, random() as r_part, random() as r_type, random() as r_lead,
          random() as r_status, random() as r_decide, random() as r_hour
        from bench_staff s cross join lateral generate_series(1, s.requests) as g(i)
      ), shaped as (
        select *,
          start0 + case extract(isodow from start0) when 6 then 2 when 7 then 1 else 0 end as start_day,
          case when r_len < 0.55 then 0 when r_len < 0.85 then 1 + floor(r_lead * 4)::int
            else 5 + floor(r_lead * 9)::int end as extra_days,
          case when r_type < 0.6 then 'vacation' when r_type < 0.8 then 'sick' when r_type < 0.9 then 'personal'
            when r_type < 0.95 then 'education' else 'other' end as type
        from base
      ), dated as (
        select *,
          start_day + extra_days as end_day,
          case when extra_days = 0 and r_part < 0.1 then 'am' when extra_days = 0 and r_part < 0.2 then 'pm'
            else 'full' end as part,
          ((start_day - case when type = 'sick' then 0 else 1 + floor(r_lead * r_lead * 120)::int end)
            + time '07:00' + r_hour * interval '10 hours') at time zone ${zone} as created_at
        from shaped
      ), decided as (
        select *,
          case when created_at < ${nowIso}::timestamptz - interval '7 days' or start_day < ${today}::date then
              case when r_status < 0.80 then 'approved' when r_status < 0.87 then 'denied' else 'cancelled' end
            else case when r_status < 0.55 then 'pending' when r_status < 0.9 then 'approved' else 'cancelled' end
          end as status
        from dated
        -- a request whose filing day is still ahead has not been filed yet
        where created_at <= ${nowIso}::timestamptz
      )
      insert into time_off_requests (office_id, requester_key, requester_name, requester_role,
        requester_platform, requester_user_id, start_day, end_day, part, type, reason, working_days, status,
        decided_by_key, decided_by_name, decided_at, cancelled_by_name, cancelled_at, created_at)
      select ${officeId}, key, name, role, 'slack', user_id, start_day, end_day, part, type, '',
        (select count(*) from generate_series(start_day, end_day, interval '1 day') as d
          where extract(isodow from d) < 6) * case when part = 'full' then 1 else 0.5 end,
        status,
        case when status in ('approved', 'denied') or (status = 'cancelled' and r_decide < 0.5)
          then ${managerKey} end,
        case when status in ('approved', 'denied') or (status = 'cancelled' and r_decide < 0.5)
          then ${manager.name} end,
        case when status in ('approved', 'denied') or (status = 'cancelled' and r_decide < 0.5)
          then least(created_at + interval '1 hour' + r_decide * interval '1 day', ${nowIso}::timestamptz) end,
        case when status = 'cancelled' then name end,
        case when status = 'cancelled'
          then least(created_at + interval '2 days' + r_decide * interval '3 days', ${nowIso}::timestamptz) end,
        created_at
      from decided
      order by created_at`);

    // Supplies: filed at any time of the history; the last two days partly pending, the last two weeks
    // partly approved or on order, everything older received, denied or cancelled. One in twenty is an
    // item not in the catalog.
    await tx.execute(sql`
      with base as (
        select ${historyStartIso}::timestamptz
            + random() * (${nowIso}::timestamptz - ${historyStartIso}::timestamptz) as created_at,
          1 + floor(random() * ${staffCount})::int as who,
          1 + floor(random() * ${catalog.length})::int as item,
          random() as r_status, random() as r_qty, random() as r_offcatalog
        from generate_series(1, ${supplyCount}::int)
      ), decided as (
        select *,
          case
            when created_at > ${nowIso}::timestamptz - interval '2 days' then
              case when r_status < 0.65 then 'pending' else 'approved' end
            when created_at > ${nowIso}::timestamptz - interval '14 days' then
              case when r_status < 0.15 then 'approved' when r_status < 0.6 then 'ordered'
                when r_status < 0.9 then 'received' when r_status < 0.95 then 'denied' else 'cancelled' end
            else case when r_status < 0.88 then 'received' when r_status < 0.94 then 'denied' else 'cancelled' end
          end as status
        from base
      )
      insert into supply_requests (office_id, requester_key, requester_name, requester_platform,
        requester_user_id, sku, item_name, unit, quantity, unit_price_cents, urgency, status,
        approved_by_name, approved_at, denied_by_name, denied_at, ordered_by_name, ordered_at,
        received_by_name, received_at, cancelled_by_name, cancelled_at, created_at)
      select ${officeId}, s.key, s.name, 'slack', s.user_id,
        case when r_offcatalog < 0.05 then null else c.sku end,
        case when r_offcatalog < 0.05 then 'Printer toner' else c.name end,
        case when r_offcatalog < 0.05 then null else c.unit end,
        1 + floor(r_qty * r_qty * 10)::int,
        case when r_offcatalog < 0.05 then null else c.price_cents end,
        case when r_qty < 0.8 then 'routine' when r_qty < 0.95 then 'this_week' else 'today' end,
        status,
        case when status in ('approved', 'ordered', 'received') then ${manager.name} end,
        case when status in ('approved', 'ordered', 'received') then created_at + interval '3 hours' end,
        case when status = 'denied' then ${manager.name} end,
        case when status = 'denied' then created_at + interval '3 hours' end,
        case when status in ('ordered', 'received') then ${manager.name} end,
        case when status in ('ordered', 'received') then created_at + interval '1 day' end,
        case when status = 'received' then s.name end,
        case when status = 'received' then created_at + interval '4 days' end,
        case when status = 'cancelled' then s.name end,
        case when status = 'cancelled' then created_at + interval '1 hour' end,
        created_at
      from decided
      join bench_staff s on s.ord = decided.who
      join bench_catalog c on c.ord = decided.item
      order by created_at`);
    await tx.execute(sql`
      insert into supply_stock (office_id, sku, on_hand, counted_at, counted_by_name, updated_at)
      select ${officeId}, sku, floor(random() * par * 1.5)::int, ${nowIso}::timestamptz - interval '3 days',
        ${manager.name}, ${nowIso}::timestamptz - interval '3 days'
      from bench_catalog`);

    // Complaints: the last five days partly new, the last 45 days partly acknowledged or reopened,
    // everything older resolved. Due days as filing would set them (2 and 30 business days, roughly).
    await tx.execute(sql`
      with base as (
        select ${historyStartIso}::timestamptz
            + random() * (${nowIso}::timestamptz - ${historyStartIso}::timestamptz) as created_at,
          1 + floor(random() * ${staffCount})::int as who,
          random() as r_status, random() as r_kind
        from generate_series(1, ${complaintCount}::int)
      ), decided as (
        select *,
          case
            when created_at > ${nowIso}::timestamptz - interval '5 days' then
              case when r_status < 0.5 then 'new' else 'acknowledged' end
            when created_at > ${nowIso}::timestamptz - interval '45 days' then
              case when r_status < 0.6 then 'acknowledged' when r_status < 0.95 then 'resolved' else 'reopened' end
            else 'resolved'
          end as status,
          (created_at at time zone ${zone})::date as filed_day
        from base
      )
      insert into complaints (office_id, reporter_key, reporter_name, reporter_platform, reporter_user_id,
        anonymous, about, category, severity, description, status, ack_due_day, resolve_due_day,
        owner_key, owner_name, owner_platform, owner_user_id, acknowledged_at, resolved_by_name, resolved_at,
        resolution, patient_contacted, reopened_by_name, reopened_at, reopen_count, created_at)
      select ${officeId}, s.key, s.name, 'slack', s.user_id, r_kind < 0.1,
        (array['patient', 'visitor', 'staff'])[1 + floor(r_kind * 3)::int],
        (array['wait_time', 'billing', 'staff_conduct', 'clinical_care', 'communication', 'facility',
          'privacy', 'other'])[1 + floor(r_status * 8)::int],
        (array['low', 'medium', 'high', 'urgent'])[1 + floor(r_kind * r_kind * 4)::int],
        'Synthetic complaint seeded by the digest-scale benchmark.',
        status, filed_day + 2, filed_day + 42,
        case when status <> 'new' then ${managerKey} end,
        case when status <> 'new' then ${manager.name} end,
        case when status <> 'new' then 'slack' end,
        case when status <> 'new' then ${managerUserId} end,
        case when status <> 'new' then created_at + interval '5 hours' end,
        case when status = 'resolved' then ${manager.name} end,
        case when status = 'resolved' then created_at + interval '6 days' end,
        case when status = 'resolved' then 'Called back and apologised.' end,
        case when status = 'resolved' then true end,
        case when status = 'reopened' then ${manager.name} end,
        case when status = 'reopened' then created_at + interval '8 days' end,
        case when status = 'reopened' then 1 else 0 end,
        created_at
      from decided join bench_staff s on s.ord = decided.who
      order by created_at`);

    // Rep visits: each configured weekly slot, from the start of the history to eight weeks ahead, booked
    // with probability REP_SLOT_BOOKED; one in ten visits cancelled. A slot is booked at most once.
    await tx.execute(sql`
      with slots as (
        select d::date as slot_day, t.time as slot_time,
          (d::date + t.time::time) at time zone ${zone} as slot_start,
          random() as r_booked, random() as r_status, random() as r_who
        from generate_series(${historyStart}::date, ${repEnd}::date, interval '1 day') as d
        join json_to_recordset(${JSON.stringify(repSlots)}::json) as t(isodow int, time text)
          on t.isodow = extract(isodow from d)
      )
      insert into rep_meetings (office_id, slot_start, slot_end, slot_day, slot_time, rep_name, company,
        company_key, topic, booker_key, booker_name, booker_platform, booker_user_id, status,
        cancelled_by_name, cancelled_at, created_at)
      select ${officeId}, slot_start, slot_start + ${office.reps.minutes} * interval '1 minute', slot_day,
        slot_time, 'Rep ' || (1 + floor(r_who * 40)::int), company,
        lower(regexp_replace(company, '[^A-Za-z0-9]', '', 'g')), 'Product update', s.key, s.name, 'slack',
        s.user_id,
        case when r_status < 0.1 then 'cancelled' else 'booked' end,
        case when r_status < 0.1 then s.name end,
        case when r_status < 0.1 then least(slot_start - interval '2 days', ${nowIso}::timestamptz) end,
        least(slot_start - (1 + r_who * 30) * interval '1 day', ${nowIso}::timestamptz - interval '1 hour')
          as created_at
      from slots
      cross join lateral (select (string_to_array(${COMPANIES.join('|')}, '|'))[1 + floor(r_who * ${COMPANIES.length})::int] as company) as c
      join bench_staff s on s.ord = 1 + floor(r_status * ${staffCount})::int
      where r_booked < ${REP_SLOT_BOOKED}
      order by created_at`);
  });

  for (const table of [
    'time_off_requests',
    'supply_requests',
    'supply_stock',
    'complaints',
    'rep_meetings',
  ]) {
    await db.execute(sql.raw(`vacuum analyze ${table}`));
  }
  return countSeededRows(db, officeId);
}

async function countSeededRows(db: Db, officeId: string): Promise<SeededRows> {
  const count = async (table: string) => {
    const result = await db.execute<{ total: number }>(
      sql`select count(*)::int as total from ${sql.identifier(table)} where office_id = ${officeId}`,
    );
    const rows = Array.isArray(result) ? result : (result as { rows: { total: number }[] }).rows;
    return Number(rows[0]?.total ?? 0);
  };
  const timeOff = await count('time_off_requests');
  const supplies = await count('supply_requests');
  const complaints = await count('complaints');
  const repVisits = await count('rep_meetings');
  return { timeOff, supplies, complaints, repVisits, total: timeOff + supplies + complaints + repVisits };
}

import { readFileSync } from 'node:fs';
import { DateTime, IANAZone } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';

const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], {
  error: 'expected a weekday: mon, tue, wed, thu, fri, sat or sun',
});
export type Weekday = z.infer<typeof weekdaySchema>;

const clockTimeSchema = z
  .string({ error: 'expected a time of day in quotes, like "07:45"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time like "07:45"');

const isoDaySchema = z.preprocess(
  // YAML reads an unquoted 2026-12-25 as a Date; accept it as the day it names.
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z
    .string({ error: 'expected a date like 2026-12-25' })
    .refine((text) => DateTime.fromISO(text).isValid && /^\d{4}-\d{2}-\d{2}$/.test(text), {
      message: 'expected a date like 2026-12-25',
    }),
);

const slugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected lowercase letters, digits and dashes, like front-desk');

/**
 * `Dr. Helen Park` → `dr-helen-park`: what makes a staff name unique. Staff keys and sandbox user ids are
 * built from it (domain/people.ts), so the check below that no two staff names share a slug must use
 * this very function: config owns it because config is the lower layer and enforces the rule first.
 */
export function slugifyName(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const staffMemberSchema = z
  .object({
    name: z
      .string({ error: 'every staff entry needs a name' })
      .trim()
      .min(1, 'a name cannot be empty')
      .max(100),
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,20}$/, 'expected a Slack user id like U0123ABCD')
      .optional(),
    teams: z.string().min(1).max(200).optional(),
    role: slugSchema.optional(),
    manager: z.boolean().default(false),
    /** roles besides their own this person can stand in for when someone calls out */
    covers: z.array(slugSchema).max(20).optional(),
    /** a part-time pattern: the weekdays this person works; without it, every office workday */
    workdays: z.array(weekdaySchema).min(1).optional(),
    /** when they started: the first year's allowances are prorated from it, and tenure counts from it */
    startDate: isoDaySchema.optional(),
    /** per leave type, this person's yearly allowance in place of the policy's */
    allowances: z.record(slugSchema, z.number().min(0).max(366)).optional(),
    /** credentials recorded here rather than with /creds add; /creds add of the same kind supersedes one */
    credentials: z
      .array(
        z
          .object({
            kind: slugSchema,
            expires: isoDaySchema,
            number: z.string().trim().min(1).max(60).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();
export type StaffMember = z.infer<typeof staffMemberSchema>;

const monthDaySchema = z
  .string({ error: 'expected a month and day in quotes, like "03-31"' })
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a month and day like "03-31"')
  .refine((text) => DateTime.fromISO(`2024-${text}`).isValid, {
    message: 'expected a real day, like "03-31"',
  });

/**
 * One leave type's bank: a yearly allowance or a monthly accrual, an optional cap on what can be held,
 * carry-over into the next year (expiring on a month-day), extra days with tenure, or not tracked at all.
 */
const leavePolicySchema = z
  .object({
    type: slugSchema,
    /** how the type is shown to the person and managers; the huddle and channels never show types */
    name: z.string().trim().min(1).max(40).optional(),
    tracked: z.boolean().default(true),
    allowanceDays: z.number().min(0).max(366).optional(),
    accrual: z
      .object({ perMonth: z.number().positive().max(31) })
      .strict()
      .optional(),
    cap: z.number().min(0).max(366).optional(),
    carryOver: z
      .object({ maxDays: z.number().min(0).max(366), expires: monthDaySchema.optional() })
      .strict()
      .optional(),
    tenure: z
      .array(
        z.object({ years: z.number().int().min(1).max(60), extraDays: z.number().min(0).max(366) }).strict(),
      )
      .optional(),
  })
  .strict();
export type LeavePolicy = z.infer<typeof leavePolicySchema>;

const slackChannelSchema = z
  .string()
  .regex(/^[CG][A-Z0-9]{2,20}$/, 'expected a Slack channel id like C0123ABCD (not a #name)');

const supplyItemSchema = z
  .object({
    sku: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,29}$/, 'expected an upper-case code like GLV-M'),
    name: z.string().trim().min(1).max(100),
    unit: z.string().trim().min(1).max(30),
    par: z.number().int().min(0).max(100_000),
    price: z.number().min(0).max(1_000_000).optional(),
    vendor: z.string().max(100).optional(),
    category: z.string().max(60).optional(),
  })
  .strict();

const checkFieldIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,29}$/, 'expected lowercase letters, digits and dashes, like temp');

/** One thing a check asks for: a number with its safe range, a yes/no with the answer that is fine, or a note. */
const checkFieldSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        id: checkFieldIdSchema,
        label: z.string().trim().min(1).max(60),
        type: z.literal('number'),
        min: z.number().optional(),
        max: z.number().optional(),
        unit: z.string().trim().min(1).max(12).optional(),
      })
      .strict(),
    z
      .object({
        id: checkFieldIdSchema,
        label: z.string().trim().min(1).max(60),
        type: z.literal('yesno'),
        /** the answer that is in range; the other one alerts the managers */
        expected: z.enum(['yes', 'no']).optional(),
      })
      .strict(),
    z
      .object({
        id: checkFieldIdSchema,
        label: z.string().trim().min(1).max(60),
        type: z.literal('text'),
      })
      .strict(),
  ],
  { error: 'expected a field type: number, yesno or text' },
);
export type CheckField = z.infer<typeof checkFieldSchema>;

/** Wait an hour after a check's time before reminding the assignee and calling it missed. */
export const CHECK_GRACE_MINUTES_DEFAULT = 60;

/** A recurring check (`/checks`): when it is due, who is asked, and what is recorded. */
const checkSchema = z
  .object({
    id: checkFieldIdSchema,
    name: z.string().trim().min(1).max(60),
    times: z.array(clockTimeSchema).min(1).max(24),
    days: z.array(weekdaySchema).min(1),
    /** a role (the first of it at work and not out) or named staff rotating by day */
    assignee: z
      .object({
        role: slugSchema.optional(),
        rotation: z.array(z.string().trim().min(1).max(100)).min(1).max(50).optional(),
      })
      .strict(),
    fields: z.array(checkFieldSchema).min(1).max(10),
    graceMinutes: z
      .number()
      .int()
      .min(1)
      .max(12 * 60)
      .default(CHECK_GRACE_MINUTES_DEFAULT),
  })
  .strict();
export type CheckConfig = z.infer<typeof checkSchema>;

/** The leave types every office has; `timeoff.policies` add the office's own. Config owns the list because a staff entry's `allowances` are checked against it. */
export const BUILT_IN_LEAVE_TYPES = ['vacation', 'sick', 'personal', 'education', 'other'] as const;

/** Days before a credential expires that its holder is reminded: three months ahead, then closer. */
export const CREDENTIAL_REMIND_DAYS = [90, 60, 30, 14, 7] as const;

/** The hours a practice without `office.hours` keeps. */
export const OFFICE_HOURS_DEFAULT = { open: '08:00', close: '18:00' } as const;

/** Ask for cover and wait 30 minutes before telling the managers; a manager confirms each volunteer. */
export const CALLOUT_DEFAULTS = { escalateMinutes: 30, autoConfirm: false } as const;

/** Acknowledge within 2 business days, resolve within 30, text only in the details view. */
export const COMPLAINT_DEFAULTS = {
  ackDays: 2,
  resolveDays: 30,
  showDetailsInChannel: false,
} as const;

export const officeConfigSchema = z
  .object({
    office: z
      .object({
        id: slugSchema.default('main'),
        name: z.string().trim().min(1).max(100),
        timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
          message: 'expected an IANA time zone like America/New_York',
        }),
        // When the doors open and close on a working day: call-out times must fall inside them.
        hours: z
          .object({ open: clockTimeSchema, close: clockTimeSchema })
          .strict()
          .refine((hours) => hours.open < hours.close, { message: 'open must be before close' })
          .default(OFFICE_HOURS_DEFAULT),
      })
      .strict(),
    channels: z
      .object({
        approvals: slackChannelSchema,
        huddle: slackChannelSchema,
        complaints: slackChannelSchema,
      })
      .strict(),
    staff: z.array(staffMemberSchema).min(1, 'list at least one staff member'),
    coverage: z.record(slugSchema, z.number().int().min(0).max(100)).default({}),
    timeoff: z
      .object({
        allowanceDays: z.number().min(0).max(366),
        workdays: z.array(weekdaySchema).min(1),
        holidays: z.array(isoDaySchema).default([]),
        /** banks per leave type; types without one share `allowanceDays` */
        policies: z.array(leavePolicySchema).optional(),
      })
      .strict(),
    digest: z
      .object({
        time: clockTimeSchema,
        days: z.array(weekdaySchema).min(1),
        catchUpMinutes: z.number().int().min(0).max(720).default(120),
      })
      .strict(),
    reminders: z
      .object({
        pendingHours: z
          .number()
          .min(1)
          .max(24 * 30)
          .default(24),
        time: clockTimeSchema.default('10:00'),
      })
      .strict()
      .default({ pendingHours: 24, time: '10:00' }),
    reps: z
      .object({
        minutes: z.number().int().min(5).max(240),
        slots: z.array(z.object({ day: weekdaySchema, time: clockTimeSchema }).strict()),
        // Optional rules: an office without them gets REP_DEFAULTS (read through readRepRules).
        closed: z.array(isoDaySchema).optional(),
        minNoticeHours: z
          .number()
          .min(0)
          .max(24 * 30)
          .optional(),
        maxWeeksAhead: z.number().int().min(1).max(52).optional(),
        maxPerCompanyPerMonth: z.number().int().min(1).max(100).optional(),
        reminderMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .optional(),
        // The secret in the calendar feed's URL; without it one is generated and kept in the database.
        calendarToken: z
          .string()
          .regex(
            /^[A-Za-z0-9_-]{24,128}$/,
            'expected 24 to 128 letters, digits, - or _ (a long random string)',
          )
          .optional(),
      })
      .strict(),
    supplies: z
      .object({
        catalog: z.array(supplyItemSchema),
        // dollars per calendar month; approval cards show month-to-date approved spend against it
        monthlyBudget: z.number().min(0).max(10_000_000).optional(),
      })
      .strict(),
    // Optional: kinds of credential with the roles that need them, and the days before expiry to remind.
    credentials: z
      .object({
        kinds: z
          .array(
            z
              .object({
                id: slugSchema,
                name: z.string().trim().min(1).max(60),
                requiredFor: z.array(slugSchema).default([]),
              })
              .strict(),
          )
          .default([]),
        remindDays: z
          .array(z.number().int().min(1).max(365))
          .min(1)
          .default([...CREDENTIAL_REMIND_DAYS]),
      })
      .strict()
      .default({ kinds: [], remindDays: [...CREDENTIAL_REMIND_DAYS] }),
    callouts: z
      .object({
        escalateMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(CALLOUT_DEFAULTS.escalateMinutes),
        autoConfirm: z.boolean().default(CALLOUT_DEFAULTS.autoConfirm),
      })
      .strict()
      .default(CALLOUT_DEFAULTS),
    // Optional: an office without it gets COMPLAINT_DEFAULTS (read through readComplaintSettings).
    complaints: z
      .object({
        ackDays: z.number().int().min(1).max(60).default(COMPLAINT_DEFAULTS.ackDays),
        resolveDays: z.number().int().min(1).max(365).default(COMPLAINT_DEFAULTS.resolveDays),
        showDetailsInChannel: z.boolean().default(COMPLAINT_DEFAULTS.showDetailsInChannel),
        privacyOfficer: z.string().trim().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
    // Optional: who gets the monthly practice report on the first working day; every manager without it.
    report: z
      .object({
        to: z
          .array(z.string().trim().min(1).max(100))
          .min(1, 'name at least one person, or leave report out'),
      })
      .strict()
      .optional(),
    // Optional: recurring checks (a vaccine fridge's temperature twice a day), recorded with /checks.
    checks: z.array(checkSchema).max(50).optional(),
    // Optional: the Microsoft 365 tenants whose Teams activities are served; without it (and without
    // MICROSOFT_APP_TENANT_ID) every tenant is.
    teams: z
      .object({
        tenants: z
          .array(
            // A domain such as contoso.onmicrosoft.com would never match the id Teams sends, so it is refused here.
            z
              .string()
              .regex(
                /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
                'expected a tenant id (a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47)',
              ),
          )
          .min(1, 'list at least one tenant id, or leave teams out'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((config, issue) => {
    const seen = new Map<string, string>();
    config.staff.forEach((member, index) => {
      const nameKey = `name:${slugifyName(member.name)}`;
      const sameName = seen.get(nameKey);
      if (sameName !== undefined) {
        issue.addIssue({
          code: 'custom',
          path: ['staff', index, 'name'],
          message: `${member.name} is listed twice (or looks the same as ${sameName}); add a middle initial`,
        });
      }
      seen.set(nameKey, member.name);
      const leaveTypes: string[] = [
        ...BUILT_IN_LEAVE_TYPES,
        ...(config.timeoff.policies ?? []).map((policy) => policy.type),
      ];
      for (const type of Object.keys(member.allowances ?? {})) {
        const message = !leaveTypes.includes(type)
          ? `is not a leave type (use ${leaveTypes.join(', ')})`
          : explainUnusedAllowance(type, config.timeoff.policies ?? []);
        if (message) issue.addIssue({ code: 'custom', path: ['staff', index, 'allowances', type], message });
      }
      for (const [position, credential] of (member.credentials ?? []).entries()) {
        if (!config.credentials.kinds.some((kind) => kind.id === credential.kind)) {
          issue.addIssue({
            code: 'custom',
            path: ['staff', index, 'credentials', position, 'kind'],
            message: `${credential.kind} is not one of credentials.kinds`,
          });
        }
      }
      for (const role of member.covers ?? []) {
        if (!config.staff.some((other) => other.role === role)) {
          issue.addIssue({
            code: 'custom',
            path: ['staff', index, 'covers'],
            message: `${role} is not the role of anyone on the staff list`,
          });
        }
      }
      for (const key of ['slack', 'teams'] as const) {
        const id = member[key];
        if (id === undefined) continue;
        const other = seen.get(`${key}:${id}`);
        if (other !== undefined) {
          issue.addIssue({
            code: 'custom',
            path: ['staff', index, key],
            message: `${id} is already used by ${other}`,
          });
        }
        seen.set(`${key}:${id}`, member.name);
      }
    });
    checkLeavePolicies(config.timeoff.policies ?? [], issue);
    checkRepSlots(config.reps, issue);
    checkCatalogFitsForm(config.supplies.catalog, issue);
    const skus = new Set<string>();
    config.supplies.catalog.forEach((item, index) => {
      if (skus.has(item.sku)) {
        issue.addIssue({
          code: 'custom',
          path: ['supplies', 'catalog', index, 'sku'],
          message: `duplicate sku ${item.sku}`,
        });
      }
      skus.add(item.sku);
    });
    checkChecks(config.checks ?? [], config.staff, issue);
    const complaints = config.complaints;
    if (complaints && complaints.resolveDays < complaints.ackDays) {
      issue.addIssue({
        code: 'custom',
        path: ['complaints', 'resolveDays'],
        message: `must be at least ackDays (${complaints.ackDays})`,
      });
    }
    (config.report?.to ?? []).forEach((name, index) => {
      if (!config.staff.some((member) => slugifyName(member.name) === slugifyName(name)))
        issue.addIssue({
          code: 'custom',
          path: ['report', 'to', index],
          message: `${name} is not in staff; use a name exactly as the staff list has it`,
        });
    });
    const officer = complaints?.privacyOfficer;
    if (officer && !config.staff.some((member) => slugifyName(member.name) === slugifyName(officer))) {
      issue.addIssue({
        code: 'custom',
        path: ['complaints', 'privacyOfficer'],
        message: `${officer} is not in staff; use a name exactly as the staff list has it`,
      });
    }
  });

export type OfficeConfig = z.infer<typeof officeConfigSchema>;

// Slack lists at most 100 choices in a select, or at most 100 groups of at most 100 choices.
const SELECT_CHOICES = 100;
const SELECT_GROUPS = 100;
/**
 * Slack refuses a modal over 250 KB. A choice in the /supplies form takes at most about 160 bytes (a label cut
 * to 75 characters and a 30-character sku in their JSON), so 1,000 items leave room for multi-byte names
 * and the rest of the form.
 */
export const MAX_CATALOG_ITEMS = 1000;

/** The heading of a catalog item in the /supplies form's list: its category, if it names one. */
export function catalogGroupOf(item: { category?: string | undefined }): string | undefined {
  return item.category?.trim() || undefined;
}

/**
 * The headings Slack's /supplies form needs for the catalog: none up to 100 items; past that one per category
 * (items without one together, as "Other"), a category of more than 100 taking one per 100 items.
 */
export function countCatalogFormGroups(catalog: readonly { category?: string | undefined }[]): number {
  if (catalog.length <= SELECT_CHOICES) return 0;
  const sizes = new Map<string, number>();
  for (const item of catalog) {
    const group = catalogGroupOf(item) ?? 'Other';
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  }
  return [...sizes.values()].reduce((groups, size) => groups + Math.ceil(size / SELECT_CHOICES), 0);
}

/** A catalog the /supplies form can list whole in Slack, so no item is ever left out of it. */
function checkCatalogFitsForm(
  catalog: readonly { category?: string | undefined }[],
  issue: z.core.$RefinementCtx<unknown>,
): void {
  if (catalog.length > MAX_CATALOG_ITEMS) {
    issue.addIssue({
      code: 'custom',
      path: ['supplies', 'catalog'],
      message: `has ${catalog.length} items; the /supplies form can list at most ${MAX_CATALOG_ITEMS.toLocaleString('en-US')} (Slack refuses a larger form). Keep the items people order from chat; anything else can still be asked for by name`,
    });
    return;
  }
  const groups = countCatalogFormGroups(catalog);
  if (groups > SELECT_GROUPS)
    issue.addIssue({
      code: 'custom',
      path: ['supplies', 'catalog'],
      message: `needs ${groups} category headings in the /supplies form (one per category, one per 100 items of a category, "Other" for items without one); Slack shows at most ${SELECT_GROUPS}. Use fewer categories`,
    });
}

/**
 * Rep slots on one weekday at least a visit (`reps.minutes`) apart: one starting inside another's visit
 * would book two reps into the office at once, since each slot takes one booking.
 */
function checkRepSlots(
  reps: { minutes: number; slots: readonly { day: string; time: string }[] },
  issue: z.core.$RefinementCtx<unknown>,
): void {
  const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  reps.slots.forEach((slot, index) => {
    const earlier = reps.slots.find(
      (other, at) =>
        at !== index &&
        other.day === slot.day &&
        minutesOf(other.time) <= minutesOf(slot.time) &&
        minutesOf(slot.time) - minutesOf(other.time) < reps.minutes &&
        (minutesOf(other.time) < minutesOf(slot.time) || at < index),
    );
    if (earlier)
      issue.addIssue({
        code: 'custom',
        path: ['reps', 'slots', index, 'time'],
        message: `starts inside the ${earlier.day} ${earlier.time} slot's ${reps.minutes}-minute visit; slots on one day must be at least reps.minutes apart`,
      });
  });
}

/**
 * Why a person's allowance for `type` would change nothing, if it would: the type is not counted, or it
 * shares the office's allowance, which only `vacation` sets per person (as it did before policies).
 */
function explainUnusedAllowance(type: string, policies: readonly LeavePolicy[]): string | undefined {
  const policy = policies.find((candidate) => candidate.type === type);
  if (policy) return policy.tracked ? undefined : 'is not counted against a balance (tracked: false)';
  if (type === 'vacation') return undefined;
  return policies.some((candidate) => candidate.type === 'vacation')
    ? 'has no policy of its own, so it shares timeoff.allowanceDays; give it a policy to set a person’s own'
    : 'shares timeoff.allowanceDays with the other types; set the person’s allowance as allowances.vacation';
}

/** Settings that contradict each other, each named by its key: start-up stops on the first. */
function checkLeavePolicies(policies: readonly LeavePolicy[], issue: z.core.$RefinementCtx<unknown>): void {
  const types = new Set<string>();
  policies.forEach((policy, index) => {
    const at = (key: string) => ['timeoff', 'policies', index, key];
    if (types.has(policy.type))
      issue.addIssue({ code: 'custom', path: at('type'), message: `${policy.type} has two policies` });
    types.add(policy.type);
    if (policy.allowanceDays !== undefined && policy.accrual)
      issue.addIssue({
        code: 'custom',
        path: at('accrual'),
        message: 'use either allowanceDays or accrual, not both',
      });
    if (policy.tracked && policy.allowanceDays === undefined && !policy.accrual)
      issue.addIssue({
        code: 'custom',
        path: at('allowanceDays'),
        message: 'is missing (give allowanceDays or accrual, or tracked: false)',
      });
    if (!policy.tracked && (policy.allowanceDays !== undefined || policy.accrual || policy.carryOver))
      issue.addIssue({
        code: 'custom',
        path: at('tracked'),
        message: 'an untracked type has no allowance, accrual or carry-over',
      });
    if (policy.carryOver && policy.cap !== undefined && policy.carryOver.maxDays > policy.cap)
      issue.addIssue({
        code: 'custom',
        path: [...at('carryOver'), 'maxDays'],
        message: `is larger than the cap (${policy.cap})`,
      });
  });
}

/** Checks that contradict themselves or the staff list, each named by its key. */
function checkChecks(
  checks: readonly CheckConfig[],
  staff: readonly StaffMember[],
  issue: z.core.$RefinementCtx<unknown>,
): void {
  const ids = new Set<string>();
  checks.forEach((check, index) => {
    const at = (...keys: (string | number)[]) => ['checks', index, ...keys];
    if (ids.has(check.id))
      issue.addIssue({ code: 'custom', path: at('id'), message: `${check.id} is used twice` });
    ids.add(check.id);
    const times = new Set<string>();
    check.times.forEach((time, timeIndex) => {
      if (times.has(time))
        issue.addIssue({ code: 'custom', path: at('times', timeIndex), message: `${time} is listed twice` });
      times.add(time);
      // A reading is recorded on its own day, so the reminder and the missed mark must fall on it too.
      const [hour = 0, minute = 0] = time.split(':').map(Number);
      if (hour * 60 + minute + check.graceMinutes >= 24 * 60)
        issue.addIssue({
          code: 'custom',
          path: at('times', timeIndex),
          message: `${time} plus graceMinutes (${check.graceMinutes}) runs past midnight; a check is recorded on its own day`,
        });
    });
    const { role, rotation } = check.assignee;
    if ((role === undefined) === (rotation === undefined))
      issue.addIssue({
        code: 'custom',
        path: at('assignee'),
        message: 'give either role or rotation (a list of staff names), not both',
      });
    if (role !== undefined && !staff.some((member) => member.role === role))
      issue.addIssue({
        code: 'custom',
        path: at('assignee', 'role'),
        message: `${role} is not the role of anyone on the staff list`,
      });
    (rotation ?? []).forEach((name, nameIndex) => {
      if (!staff.some((member) => slugifyName(member.name) === slugifyName(name)))
        issue.addIssue({
          code: 'custom',
          path: at('assignee', 'rotation', nameIndex),
          message: `${name} is not in staff; use a name exactly as the staff list has it`,
        });
    });
    const fieldIds = new Set<string>();
    check.fields.forEach((field, fieldIndex) => {
      if (fieldIds.has(field.id))
        issue.addIssue({
          code: 'custom',
          path: at('fields', fieldIndex, 'id'),
          message: `${field.id} is used twice in this check`,
        });
      fieldIds.add(field.id);
      if (
        field.type === 'number' &&
        field.min !== undefined &&
        field.max !== undefined &&
        field.min > field.max
      )
        issue.addIssue({
          code: 'custom',
          path: at('fields', fieldIndex, 'min'),
          message: `is larger than max (${field.max})`,
        });
    });
  });
}

/** Reads and validates the office config; any problem becomes one ConfigError line `file: key.path: problem`. */
export function loadOfficeConfig(path: string): OfficeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${path}: cannot be read (does the file exist?)`);
  }
  return parseOfficeConfig(text, path);
}

/** Validates office config text; `source` names the file in messages. */
export function parseOfficeConfig(text: string, source: string): OfficeConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    throw new ConfigError(`${source}: is not valid YAML: ${detail}`);
  }
  const result = officeConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  // A misspelt key is the likeliest cause of the other problems, so it is named first.
  const issues = [...result.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const first = issues[0];
  const unknownKey = first?.code === 'unrecognized_keys' ? first.keys[0] : undefined;
  const keyPath = [...(first?.path ?? []), ...(unknownKey === undefined ? [] : [unknownKey])];
  const path = keyPath.length > 0 ? keyPath.join('.') : '(top level)';
  const message =
    unknownKey !== undefined
      ? 'is not a setting frontdesk knows (check the spelling)'
      : first?.message.endsWith('received undefined')
        ? 'is missing'
        : (first?.message ?? 'invalid');
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new ConfigError(`${source}: ${path}: ${message}${more}`);
}

import { pgSequence } from 'drizzle-orm/pg-core';

// Human references (TO-12, SR-7, CP-3, RM-5, CO-3, CR-4, CK-9, IS-5, FU-3) take their numbers from these; a sequence never hands
// out a number twice, even across replicas, and never blocks a concurrent filing.
export const timeOffReferenceSeq = pgSequence('time_off_ref_seq', { startWith: 1 });
export const supplyReferenceSeq = pgSequence('supply_ref_seq', { startWith: 1 });
export const complaintReferenceSeq = pgSequence('complaint_ref_seq', { startWith: 1 });
export const repMeetingReferenceSeq = pgSequence('rep_meeting_ref_seq', { startWith: 1 });
export const callOutReferenceSeq = pgSequence('call_out_ref_seq', { startWith: 1 });
export const credentialReferenceSeq = pgSequence('credential_ref_seq', { startWith: 1 });
export const checkReferenceSeq = pgSequence('check_ref_seq', { startWith: 1 });
export const teamIssueReferenceSeq = pgSequence('team_issue_ref_seq', { startWith: 1 });
export const noteReferenceSeq = pgSequence('note_ref_seq', { startWith: 1 });

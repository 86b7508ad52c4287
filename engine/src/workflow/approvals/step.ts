import type { ApprovalMode } from './settings.ts';

/**
 * An approval step's approvers as slots: one slot per resolved approver, each a chain of members.
 * A transfer replaces a member by the next one in its chain, adding a signer before or after puts
 * members into the chain, so every slot still gives one vote: approved when all its members
 * approved, rejected when one rejected. The mode combines the slots' votes into the step's outcome.
 */
export type MemberState = 'waiting' | 'active' | 'approved' | 'rejected' | 'transferred' | 'cancelled';
export type MemberVia = 'rule' | 'before' | 'after' | 'transfer' | 'escalate' | 'submitter';

export interface Member {
  userId: string;
  state: MemberState;
  /** The open task of an active member (and the last task it had afterwards). */
  taskId: string | null;
  via: MemberVia;
  /** Decided by the engine (auto-approve, timeout), not by the user. */
  automatic?: boolean;
  /**
   * Members with the same value stand for one another (an escalation to several users): they get their
   * tasks together, the first decision among them counts and the others' tasks are cancelled.
   */
  alternates?: string;
}

export interface Slot {
  members: Member[];
}

export type StepMode = ApprovalMode | 'resubmit';
export type Vote = 'approved' | 'rejected' | 'pending';

export function slotVote(slot: Slot): Vote {
  if (slot.members.some((member) => member.state === 'rejected')) return 'rejected';
  const counting = slot.members.filter(
    (member) => member.state !== 'transferred' && member.state !== 'cancelled',
  );
  if (counting.length > 0 && counting.every((member) => member.state === 'approved')) return 'approved';
  return 'pending';
}

/** The step's outcome from its slots' votes, or null while undecided. */
export function stepOutcome(mode: StepMode, ratio: number, slots: Slot[]): 'approved' | 'rejected' | null {
  const votes = slots.map(slotVote);
  const approved = votes.filter((vote) => vote === 'approved').length;
  const rejected = votes.filter((vote) => vote === 'rejected').length;
  switch (mode) {
    case 'single':
    case 'any':
    case 'resubmit':
      if (approved > 0) return 'approved';
      if (rejected > 0) return 'rejected';
      return null;
    case 'all':
    case 'sequence':
      if (rejected > 0) return 'rejected';
      return approved === slots.length ? 'approved' : null;
    case 'ratio': {
      // a tolerance for ratios like 2/3 that floats cannot hold exactly
      if (approved / slots.length >= ratio - 1e-9) return 'approved';
      if ((slots.length - rejected) / slots.length < ratio - 1e-9) return 'rejected';
      return null;
    }
  }
}

/** Members whose turn it is and who have no task yet: in each slot that may act now, the first undecided member. */
export function membersToActivate(mode: StepMode, slots: Slot[]): Member[] {
  const due: Member[] = [];
  for (const slot of slots) {
    if (slotVote(slot) !== 'pending') continue;
    const next = slot.members.find((member) => member.state === 'waiting' || member.state === 'active');
    if (next?.state === 'waiting') due.push(next);
    if (next?.alternates) {
      due.push(
        ...slot.members.filter(
          (member) => member !== next && member.alternates === next.alternates && member.state === 'waiting',
        ),
      );
    }
    // in sequence, later slots wait for this one
    if (mode === 'sequence') break;
  }
  return due;
}

/**
 * Alternates whose group has decided (one approved or rejected): the others are out. Returns them, so
 * their tasks can be cancelled.
 */
export function settleAlternates(slots: Slot[]): Member[] {
  const out: Member[] = [];
  for (const slot of slots) {
    for (const decided of slot.members) {
      if (!decided.alternates || (decided.state !== 'approved' && decided.state !== 'rejected')) continue;
      for (const other of slot.members) {
        if (
          other.alternates !== decided.alternates ||
          (other.state !== 'waiting' && other.state !== 'active')
        )
          continue;
        other.state = 'cancelled';
        out.push(other);
      }
    }
  }
  return out;
}

/** The slot and member holding `taskId` (an active member's task). */
export function memberOfTask(slots: Slot[], taskId: string): { slot: Slot; member: Member } | undefined {
  for (const slot of slots) {
    const member = slot.members.find((each) => each.taskId === taskId);
    if (member) return { slot, member };
  }
  return undefined;
}

export function activeMembers(slots: Slot[]): Member[] {
  return slots.flatMap((slot) => slot.members.filter((member) => member.state === 'active'));
}

/** Users who approved (for `decidedBy`): by slot order, each once. */
export function approvers(slots: Slot[]): string[] {
  const users = slots.flatMap((slot) =>
    slot.members.filter((m) => m.state === 'approved').map((m) => m.userId),
  );
  return [...new Set(users)];
}

export function rejecters(slots: Slot[]): string[] {
  const users = slots.flatMap((slot) =>
    slot.members.filter((m) => m.state === 'rejected').map((m) => m.userId),
  );
  return [...new Set(users)];
}

// Rules for travel: booking (with its expiry and the rebooking limit), the pre-departure
// allowance, and departure with its failure modes (no-show, absconding).
import { addDuration } from './duration';
import {
  closeCase,
  invalid,
  payMoment,
  rejection,
  roles,
  STAFF,
  STAFF_OR_PARTNER,
  unpaidPreDeparture,
  type RuleBook,
} from './engine';
import { atOrBefore, dateOf, toInstant } from './time';
import { PRE_DEPARTURE_STAGES } from './vocabulary';

export const TRAVEL_RULES: RuleBook<
  'book_travel' | 'pay_predeparture_allowance' | 'confirm_departure' | 'record_no_show' | 'record_absconding'
> = {
  book_travel: {
    stages: ['travel_booking'],
    roles: roles(STAFF),
    // Only an expired booking can push rebookings past the limit (a no-show that would
    // exceed it closes the case); the supervisor then closes the case or the person withdraws.
    guard: (s, p) =>
      s.rebookings > p.maxRebookings
        ? rejection(
            'REBOOKING_LIMIT',
            `the programme allows at most ${p.maxRebookings} rebookings and this case has had ${s.rebookings}`,
          )
        : undefined,
    run: (ctx, p) => {
      const s = ctx.s;
      if (p.departureDate < dateOf(ctx.now)) return invalid('departureDate', 'is in the past');
      if (s.travelDocument?.validUntil !== undefined && s.travelDocument.validUntil < p.departureDate) {
        return invalid('departureDate', 'is after the travel document expires');
      }
      let expiresAt: string;
      if (p.expiresAt !== undefined) {
        expiresAt = toInstant(p.expiresAt);
        if (atOrBefore(expiresAt, ctx.now)) return invalid('expiresAt', 'must be in the future');
      } else if (ctx.programme.bookingValidity !== undefined) {
        expiresAt = addDuration(ctx.now, ctx.programme.bookingValidity);
      } else {
        return invalid('expiresAt', 'required: the programme sets no bookingValidity');
      }
      s.booking = { departureDate: p.departureDate, expiresAt, status: 'active', bookedAt: ctx.now };
      ctx.actionData.departureDate = p.departureDate;
      ctx.actionData.expiresAt = expiresAt;
      ctx.actionData.rebookings = s.rebookings;
      s.stage = 'departure';
      return undefined;
    },
  },

  pay_predeparture_allowance: {
    stages: ['travel_booking', 'departure'],
    roles: roles(STAFF),
    guard: (s) =>
      unpaidPreDeparture(s) > 0 ? undefined : rejection('NOT_ALLOWED_NOW', 'no pre-departure allowance is due'),
    run: (ctx) => {
      ctx.actionData.amount = payMoment(ctx, 'pre_departure');
      return undefined;
    },
  },

  confirm_departure: {
    stages: ['departure'],
    roles: roles(STAFF_OR_PARTNER),
    run: (ctx, p) => {
      const s = ctx.s;
      const departedAt = p.departedAt !== undefined ? toInstant(p.departedAt) : ctx.now;
      if (!atOrBefore(departedAt, ctx.now)) return invalid('departedAt', 'is in the future');
      if (s.booking && !atOrBefore(s.booking.bookedAt, departedAt)) return invalid('departedAt', 'is before the booking was made');
      s.departedAt = departedAt;
      if (s.booking) s.booking.status = 'used';
      // The pre-departure money is due at the latest when the person leaves.
      const paidNow = payMoment(ctx, 'pre_departure');
      s.checkpoints = ctx.programme.followUp.offsets.map((offset) => ({ offset, dueAt: addDuration(departedAt, offset) }));
      const trancheCheckpoint = ctx.programme.tranches?.secondTrancheOnCheckpoint;
      const trancheDue = s.checkpoints.find((c) => c.offset === trancheCheckpoint)?.dueAt;
      for (const c of s.entitlement.components) {
        if (!c.applies) continue;
        for (const part of c.parts) {
          if (part.when !== 'second_tranche' || part.amount <= 0) continue;
          s.payments.push({
            id: `${c.id}:second_tranche`,
            kind: c.kind,
            when: 'second_tranche',
            amount: part.amount,
            status: 'scheduled',
            componentId: c.id,
            ...(trancheDue ? { dueAt: trancheDue } : {}),
          });
        }
      }
      ctx.actionData.departedAt = departedAt;
      ctx.actionData.checkpoints = s.checkpoints.length;
      if (paidNow > 0) ctx.actionData.preDeparturePaid = paidNow;
      s.stage = 'post_arrival';
      return undefined;
    },
  },

  record_no_show: {
    stages: ['departure'],
    roles: roles(STAFF_OR_PARTNER),
    run: (ctx) => {
      const s = ctx.s;
      if (s.booking) s.booking.status = 'no_show';
      ctx.actionData.maxRebookings = ctx.programme.maxRebookings;
      if (s.rebookings + 1 > ctx.programme.maxRebookings) {
        ctx.actionData.rebookings = s.rebookings;
        closeCase(ctx, 'other', 'no_show_limit');
      } else {
        s.rebookings += 1;
        ctx.actionData.rebookings = s.rebookings;
        s.stage = 'travel_booking';
      }
      return undefined;
    },
  },

  record_absconding: {
    stages: PRE_DEPARTURE_STAGES,
    roles: roles(STAFF_OR_PARTNER),
    run: (ctx) => {
      closeCase(ctx, 'absconded', 'absconded');
      return undefined;
    },
  },
};

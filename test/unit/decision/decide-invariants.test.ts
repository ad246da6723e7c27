import { decide } from '../../../lambda/decision/decide';
import { isInForce } from '../../../lambda/shared/moratorium';
import { findOrganisation, OPERATION_NAMES } from '../../../lambda/shared/settings';
import { depsFor, mockIam, principalOf, ROLE_IDS, type RoleName, settableClock, settingsWith } from './fixtures';

/** A small deterministic generator (mulberry32), so a failure reproduces. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const ROLE_ORG: Record<RoleName, string> = {
  'govrec-ngo-child-rescue-uploader': 'thorn-like',
  'govrec-ngo-anti-trafficking-uploader': 'marinus-like',
  'govrec-police-investigations': 'metro-police',
  'govrec-police-analysts': 'metro-police',
};
const PURPOSES = ['child-rescue', 'victim-identification', 'anti-trafficking', 'criminal-investigation', 'marketing'];
const ORGS = ['thorn-like', 'marinus-like', 'metro-police', 'unregistered-org'];

describe.each(['normal-rules', 'deny'] as const)('decide over 400 random requests (afterWindow %s)', (afterWindow) => {
  const settings = settingsWith({ afterWindow });
  const window = { start: new Date(settings.moratorium.start), end: new Date(settings.moratorium.end) };
  const random = prng(afterWindow === 'deny' ? 7 : 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const span = window.end.getTime() - window.start.getTime();
  const cases = Array.from({ length: 400 }, () => {
    const role = pick(Object.keys(ROLE_IDS) as RoleName[]);
    const at = new Date(
      random() < 0.2
        ? pick([window.start, window.end]).getTime() + pick([-1, 0, 1])
        : window.start.getTime() - span + random() * 3 * span,
    );
    // Half decided the instant they are made, half after a queue delay of up to a quarter of the window.
    const decidedAt = new Date(random() < 0.5 ? at.getTime() : at.getTime() + random() * (span / 4));
    return {
      role,
      decidedAt: decidedAt.toISOString(),
      request: {
        principalId: principalOf(role),
        orgId: random() < 0.7 ? ROLE_ORG[role] : pick(ORGS),
        operation: pick(OPERATION_NAMES),
        purpose: pick(PURPOSES),
        // Around the window, with the boundaries themselves hit often.
        at: at.toISOString(),
      },
    };
  });

  it('never allows a police role when it uploads or is decided inside the window, and allows exactly the registered uses otherwise', async () => {
    mockIam();
    const clock = settableClock();
    const deps = depsFor(settings, clock);
    const seen = { ALLOW: 0, DENY: 0, inWindowPolice: 0, laterDecided: 0 };
    for (const { role, request, decidedAt } of cases) {
      clock.set(decidedAt);
      const decision = await decide(request, deps);
      const instants = [new Date(request.at), new Date(decidedAt)];
      const police = ROLE_ORG[role] === 'metro-police';
      const org = findOrganisation(settings, ROLE_ORG[role])!;
      const registered =
        request.orgId === org.id &&
        org.operations.includes(request.operation) &&
        org.purposes.includes(request.purpose);
      const inWindow = instants.some((instant) => isInForce(window, instant));
      const barred =
        police && (inWindow || (afterWindow === 'deny' && instants.some((instant) => instant >= window.end)));
      const expected = registered && !barred ? 'ALLOW' : 'DENY';
      expect({ request, decidedAt, effect: decision.effect }).toEqual({ request, decidedAt, effect: expected });
      expect(decision.moratorium.inForce).toBe(inWindow);
      if (decidedAt !== request.at) seen.laterDecided += 1;
      if (police && inWindow) {
        expect(decision.reason).toBe('MORATORIUM_IN_FORCE');
        seen.inWindowPolice += 1;
      }
      seen[decision.effect] += 1;
    }
    // The sample is not vacuous: it holds allows, denials and police requests inside the window.
    expect(Math.min(seen.ALLOW, seen.DENY, seen.inWindowPolice, seen.laterDecided)).toBeGreaterThan(20);
  });
});

/** The operator commands of `npm run hub` (hub.ts runs them; tested without a process). */
import { parseArgs } from 'node:util';
import { ApiKeysService } from '../auth/api-keys.service';
import { STAFF_ROLES, type StaffRole } from '../auth/staff-principal';
import { CreatePartnerAppDto } from '../partner-apps/partner-apps.dto';
import { PartnerAppsService } from '../partner-apps/partner-apps.service';
import { validateAs } from '../platform/errors/validation';
import { PrivacyService } from '../privacy/privacy.service';
import { SlaEscalationService } from '../sla/sla-escalation.service';
import { SlaRollupService } from '../sla/sla-rollup.service';

export const USAGE = `Usage: npm run hub -- <command>
  api-key create --role staff|admin --name "<who>"   prints the key once
  api-key revoke <id or prefix ghk_XXXXXXXX>
  api-key list
  partner-app create --name "<app>" --rate <per minute> --consent "<what the app tells citizens>"
                        issues a partner app key (Open311 api_key, X-Api-Key), printed once
  partner-app revoke <id or prefix gpk_XXXXXXXX>
  partner-app list
  pii rotate-key        re-encrypt personal data under PII_ENCRYPTION_KEY (old key in PII_ENCRYPTION_PREVIOUS_KEYS)
  pii erase-expired     erase personal data of grievances closed longer than PII_RETENTION_DAYS
  sla rebuild-rollup    recompute the staff-view rollup from scratch
  sla scan              run the warning / breach / escalation scan once`;

export type Run = (
  args: string[],
  get: <T>(type: new (...a: never[]) => T) => T,
) => Promise<unknown>;

export const COMMANDS: Record<string, Run> = {
  'api-key create': async (args, get) => {
    const { values } = parseArgs({
      args,
      options: { role: { type: 'string' }, name: { type: 'string' } },
    });
    if (!STAFF_ROLES.includes(values.role as StaffRole) || !values.name?.trim())
      throw new Error('api-key create needs --role staff|admin and --name "<who>"');
    const { key, stored } = await get(ApiKeysService).create(
      values.name.trim(),
      values.role as StaffRole,
    );
    return { ...stored, key, note: 'Shown once: store it now. Only its hash is kept.' };
  },
  'api-key revoke': async ([id], get) => {
    if (!id) throw new Error('api-key revoke needs the key id or its prefix');
    return { revoked: await get(ApiKeysService).revoke(id) };
  },
  'api-key list': async (_args, get) => get(ApiKeysService).list(),
  'partner-app create': async (args, get) => {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, rate: { type: 'string' }, consent: { type: 'string' } },
    });
    // The same rules as the staff API (POST /api/v1/staff/partner-apps).
    const dto = await validateAs(CreatePartnerAppDto, {
      name: values.name,
      rateLimitPerMinute: Number(values.rate),
      consentDeclaration: values.consent,
    }).catch((error: { extra?: { errors?: { path: string; message: string }[] } }) => {
      const problems = error.extra?.errors?.map((e) => `${e.path}: ${e.message}`) ?? [];
      throw new Error(`partner-app create: ${problems.join('; ') || String(error)}`);
    });
    const { key, stored } = await get(PartnerAppsService).create(dto);
    return { ...stored, key, note: 'Shown once: give it to the app now. Only its hash is kept.' };
  },
  'partner-app revoke': async ([id], get) => {
    if (!id) throw new Error('partner-app revoke needs the app id or its key prefix');
    return { revoked: await get(PartnerAppsService).revoke(id) };
  },
  'partner-app list': async (_args, get) => get(PartnerAppsService).list(),
  'pii rotate-key': async (_args, get) => ({
    reencrypted: await get(PrivacyService).rotate((n) =>
      process.stderr.write(`re-encrypted ${n}\n`),
    ),
  }),
  'pii erase-expired': async (_args, get) => ({ erased: await get(PrivacyService).eraseExpired() }),
  'sla rebuild-rollup': async (_args, get) =>
    get(SlaRollupService)
      .rebuild()
      .then(() => ({ rebuilt: true })),
  'sla scan': async (_args, get) => get(SlaEscalationService).scan(),
};

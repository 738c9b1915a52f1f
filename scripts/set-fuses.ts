// Sets Electron's fuses on a packaged app's Electron binary (run at package time, never on the
// development copy in node_modules, which the tooling still needs as a plain Electron):
//   node --import tsx scripts/set-fuses.ts <path to the packaged electron binary> [--asar]
// Off: running as plain Node (ELECTRON_RUN_AS_NODE), NODE_OPTIONS, --inspect arguments and the
// extra privileges of file:// (the app loads from its own app:// protocol). On: cookie encryption.
// With --asar (the app is packed into app.asar): ASAR integrity validation and loading only from it.
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';

export function pstLabFuses(asar: boolean): Partial<Record<FuseV1Options, boolean>> {
  return {
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    ...(asar
      ? { [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true, [FuseV1Options.OnlyLoadAppFromAsar]: true }
      : {}),
  };
}

/** Flips the fuses in `binary` and returns the wire read back (fuse name -> state character). */
export async function applyFuses(binary: string, opts: { asar: boolean }): Promise<Record<string, string>> {
  await flipFuses(binary, { version: FuseVersion.V1, ...pstLabFuses(opts.asar) });
  const wire = await getCurrentFuseWire(binary);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(wire)) {
    if (k !== 'version' && /^\d+$/.test(k)) out[FuseV1Options[Number(k)] ?? k] = String.fromCharCode(v as number);
  }
  return out;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const binary = args.find((a) => !a.startsWith('--'));
  if (!binary) {
    process.stderr.write('usage: node --import tsx scripts/set-fuses.ts <electron binary> [--asar]\n');
    process.exit(2);
  }
  applyFuses(binary, { asar: args.includes('--asar') }).then(
    (wire) => process.stdout.write(`${JSON.stringify(wire, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`set-fuses: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

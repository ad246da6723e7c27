/**
 * `govrec`: the governed pipeline from the command line. Run it as `npx govrec …`, `npm run
 * govrec -- …`, or through `bin/govrec.cjs` (the package's bin). Wiring only: the program and its
 * error handling are in `cli/program.ts`, each command in `cli/commands/`, its work in
 * `local/offline/` (loaded per command, so `decide` stays quick).
 */
// Before any AWS SDK module loads: the SDK warns once per process about Node 20's support window.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { register as decide } from '../cli/commands/decide';
import { register as report } from '../cli/commands/report';
import { register as run } from '../cli/commands/run';
import { register as status } from '../cli/commands/status';
import { register as upload } from '../cli/commands/upload';
import { register as verify } from '../cli/commands/verify';
import { createProgram, runProgram } from '../cli/program';
import { unsupportedNode } from '../local/node-version';

const program = createProgram();
run(program);
upload(program);
decide(program);
status(program);
report(program);
verify(program);

const tooOld = unsupportedNode('govrec');
if (tooOld === undefined) void runProgram(program, process.argv);
else {
  process.stderr.write(`govrec: ${tooOld}\n`);
  process.exitCode = 2;
}

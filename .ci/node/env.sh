# Source this file to run the project on the Node.js the Lambdas run on (24), whatever Node the
# machine has: it installs the pinned Node binary from the npm registry (once, ~5 s, Linux x64)
# and puts it first on PATH, so `node`, `npm`, `npx` and jest all use it.
#   source .ci/node/env.sh && npm ci && npm test
_govrec_node_dir="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)"
if [ ! -x "$_govrec_node_dir/node_modules/.bin/node" ]; then
  npm ci --prefix "$_govrec_node_dir" --no-audit --no-fund --loglevel=error
fi
export PATH="$_govrec_node_dir/node_modules/.bin:$PATH"
unset _govrec_node_dir

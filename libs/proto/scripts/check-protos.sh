#!/bin/sh
# Lints proto/ (buf lint, rules in buf.yaml) and fails on a breaking change against a base commit (buf breaking).
# Base: $PROTO_BREAKING_AGAINST if set (any git revision); else, on a branch forked from `main` (or `origin/main`
# when there is no local main), the fork point; else (on main itself, or no main at all) the previous commit, HEAD~1.
# The working tree's proto/ (uncommitted edits included) is what is checked. With no base in the history (a shallow
# clone of depth 1, the first commit, a base without proto/) the breaking check is skipped, saying so; lint still runs.
set -eu
cd "$(dirname "$0")/../../.."
buf=libs/proto/node_modules/.bin/buf
[ -x "$buf" ] || buf=node_modules/.bin/buf

"$buf" lint
echo "check-protos: buf lint passed"

base=""
if [ -n "${PROTO_BREAKING_AGAINST:-}" ]; then
  base=$(git rev-parse --verify -q "$PROTO_BREAKING_AGAINST^{commit}") || {
    echo "check-protos: PROTO_BREAKING_AGAINST=$PROTO_BREAKING_AGAINST is not a commit" >&2
    exit 1
  }
else
  head=$(git rev-parse --verify -q HEAD) || { echo "check-protos: no commit yet; breaking check skipped"; exit 0; }
  fork=""
  main=$(git rev-parse --verify -q "refs/heads/main^{commit}" || git rev-parse --verify -q "refs/remotes/origin/main^{commit}" || true)
  [ -n "$main" ] && fork=$(git merge-base HEAD "$main" 2>/dev/null || true)
  if [ -n "$fork" ] && [ "$fork" != "$head" ]; then base=$fork
  else base=$(git rev-parse --verify -q "HEAD~1^{commit}" || true)
  fi
fi
if [ -z "$base" ]; then
  echo "check-protos: no base commit in this clone's history (shallow?); breaking check skipped"
  exit 0
fi
if ! git cat-file -e "$base:proto" 2>/dev/null; then
  echo "check-protos: base $base has no proto/; breaking check skipped"
  exit 0
fi
"$buf" breaking proto --against "$(git rev-parse --git-common-dir)#ref=$base,subdir=proto"
echo "check-protos: buf breaking passed against $base"

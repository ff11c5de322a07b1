#!/usr/bin/env bash
# The Allure trend (allure-history/: history.jsonl and the fingerprint of the last results appended)
# and the gateway's kept behaviour fingerprints (fingerprints.jsonl, scripts/fingerprint.ts)
# kept on a branch of this repository, allure-history. A branch outlives a quiet week; an
# actions/cache entry is evicted after 7 days without a read, and the trend with it.
#
#   allure-history.sh restore   copies the branch's files into allure-history/ (no branch yet: starts empty)
#   allure-history.sh save      commits allure-history/ to the branch and pushes it
#
# Needs GITHUB_TOKEN (contents: write to save) in this step only: the checkout keeps no
# credentials, so the token goes on each git command line and nowhere on disk.
set -euo pipefail

branch="${ALLURE_HISTORY_BRANCH:-allure-history}"
dir=allure-history
files=(history.jsonl last-appended-results.txt fingerprints.jsonl)
remote="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY to owner/repo}.git"
auth="AUTHORIZATION: basic $(printf 'x-access-token:%s' "${GITHUB_TOKEN:?set GITHUB_TOKEN (contents: read to restore, write to save)}" | base64 | tr -d '\n')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git_() { git -c "http.extraheader=$auth" "$@"; }

# 0: the branch exists; 2: it does not (yet); anything else: git could not ask (stop).
branch_exists() {
  local status=0
  git_ ls-remote --exit-code --heads "$remote" "$branch" >/dev/null || status=$?
  [ "$status" -eq 0 ] && return 0
  [ "$status" -eq 2 ] && return 1
  echo "allure-history: cannot read $remote (git exit $status): check the token's contents permission" >&2
  exit "$status"
}

fetch_branch() {
  git init -q "$work"
  git_ -C "$work" fetch -q --depth=1 "$remote" "refs/heads/$branch"
  git -C "$work" checkout -q -B "$branch" FETCH_HEAD
}

case "${1:-}" in
  restore)
    mkdir -p "$dir"
    if branch_exists; then
      fetch_branch
      for f in "${files[@]}"; do [ ! -f "$work/$f" ] || cp "$work/$f" "$dir/$f"; done
      echo "allure-history: restored $(wc -l <"$dir/history.jsonl" 2>/dev/null || echo 0) runs from the $branch branch"
    else
      echo "allure-history: no $branch branch yet: the trend starts with this run"
    fi
    ;;
  save)
    [ -f "$dir/history.jsonl" ] || { echo "allure-history: no $dir/history.jsonl to save (build the report first)" >&2; exit 1; }
    if branch_exists; then
      fetch_branch
    else
      git init -q "$work"
      git -C "$work" checkout -q --orphan "$branch"
    fi
    for f in "${files[@]}"; do [ ! -f "$dir/$f" ] || cp "$dir/$f" "$work/$f"; done
    git -C "$work" add -A
    if git -C "$work" diff --cached --quiet; then
      echo "allure-history: trend unchanged (these results were appended before)"
      exit 0
    fi
    git -C "$work" -c user.name='github-actions[bot]' -c user.email='41898282+github-actions[bot]@users.noreply.github.com' \
      commit -q -m "Allure trend: run ${GITHUB_RUN_ID:-local} attempt ${GITHUB_RUN_ATTEMPT:-1}"
    git_ -C "$work" push -q "$remote" "HEAD:refs/heads/$branch"
    echo "allure-history: saved $(wc -l <"$dir/history.jsonl") runs to the $branch branch"
    ;;
  *)
    echo "usage: $0 restore|save" >&2
    exit 2
    ;;
esac

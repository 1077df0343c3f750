#!/usr/bin/env bash
# Print the path of a Python 3.13 interpreter: on PATH, through pyenv (.python-version), or
# installed by pyenv if it has none yet.
set -euo pipefail
for candidate in python3.13 "$(command -v pyenv >/dev/null && pyenv root)/versions/3.13"*/bin/python3.13; do
  if path=$(command -v "$candidate" 2>/dev/null) && [[ -n $path ]]; then
    echo "$path"; exit 0
  fi
done
if command -v pyenv >/dev/null; then
  pyenv install --skip-existing 3.13 >&2
  pyenv which python3.13
  exit 0
fi
echo "Python 3.13 not found: install it (or pyenv) first." >&2
exit 1

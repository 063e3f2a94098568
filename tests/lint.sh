#!/bin/sh
# make lint: the layering and hygiene rules of the house style.
#   1. each C library's headers are included only by its wrapper module
#   2. every header compiles on its own
#   3. no banned function (sprintf, strcpy, strcat, strtok, atoi, atof, gets)
#   4. no folder but src/ includes a wiring header
cc=$1 cflags=$2
cd "$(dirname "$0")/.."
rc=0
fail() { echo "lint: $*"; rc=1; }

only() {    # only PATTERN ALLOWED-REGEX: files including PATTERN must match
    for f in $(grep -rlE "$1" --include='*.[ch]' src ui scrape store query); do
        echo "$f" | grep -qE "$2" || fail "$f includes $1"
    done
}
only '#include <(n?curses|ncursesw/)' '^ui/'
only '#include <curl/' '^scrape/fetch\.c$'
only '#include <yaml\.h>' '^src/base/yaml\.c$'
only '#include <pcre2\.h>' '^src/base/regex\.c$'
only '#include "src/(cli|loop)\.h"' '^src/[a-z_]*\.[ch]$'

for h in src/*.h src/*/*.h ui/*.h scrape/*.h store/*.h query/*.h tests/support/*.h; do
    [ -f "$h" ] || continue
    echo "#include \"$h\"" | $cc $cflags -x c -fsyntax-only - 2>&1 \
        | sed "s|^|$h: |" | grep . && fail "$h does not compile alone"
done

banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atof|gets)[[:space:]]*\('
grep -nE "$banned" --include='*.[ch]' -r src ui scrape store query tests \
    && fail "banned function used"
[ $rc -eq 0 ] && echo "lint: ok"
exit $rc

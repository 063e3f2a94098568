#!/bin/sh
# make lint: the layering and hygiene rules of the house style (STYLE.md,
# sections 1, 2 and 5). One line per violation, "lint: ok" when clean.
#   1. the #include "..." lines of src/, store/, scrape/, query/ and ui/
#      follow the table of layers below
#   2. each C library's headers are included only by its wrapper module
#   3. no banned function (sprintf, vsprintf, strcpy, strcat, strtok, atoi,
#      atof, gets), in the tests too
#   4. every header compiles on its own (when a compiler is given)
# Comments and string literals are blanked before checks 1-3, so a comment
# that mentions an include or a banned call is not a violation.
#
# Usage: tests/lint.sh [CC CFLAGS]   (from any directory; it checks the tree
# it sits in)
cc=${1:-} cflags=${2:-}
cd "$(dirname "$0")/.." || exit 1

# The layers: a folder, then what its files may include with "...": folders
# (exact: "ui" allows ui/x.h, not ui/sub/x.h), single headers, or * for
# anything. A new folder needs its own row; a folder without one fails.
layers='
src/base    src/base
store       store src/base
scrape      scrape store src/base
query       query store src/base
ui          ui query store src/base
src/config  src/config scrape store src/base
src/dash    src/dash src/api query ui/model.h ui/theme.h ui/containers_table.h store scrape/fetch.h src/base
src/demo    src/demo src/base
src/rules   src/rules query scrape store src/base
src/api     src/api query scrape store src/base
src/collect src/collect query scrape store src/base
src         *
'

# The wrappers: a system header pattern, then the only files that may
# include it (an awk regular expression on the path).
wrappers='
^(n?curses[a-z_]*\.h|ncursesw/|term\.h)$   ^ui/
^curl/                                     ^scrape/fetch\.c$
^yaml\.h$                                  ^src/base/yaml\.c$
^pcre2\.h$                                 ^src/base/regex\.c$
^microhttpd\.h$                            ^src/api/http\.c$
^gnutls/                                   ^src/api/http\.c$
^crypt\.h$                                 ^src/api/webconfig\.c$
^zlib\.h$                                  ^src/api/gzip\.c$
'

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

for d in src store scrape query ui; do
    [ -d "$d" ] && find "$d" -name '*.[ch]'
done | LC_ALL=C sort >"$tmp/code"
find tests -name '*.[ch]' 2>/dev/null | LC_ALL=C sort >"$tmp/tests"

# Checks 1-3 in one pass of awk over every file. Each line is first cut to
# "code" (comments removed, strings kept: an include's path is a string)
# and "bare" (string and character literals blanked as well).
# shellcheck disable=SC2046
awk -v layers="$layers" -v wrappers="$wrappers" '
function dir(p) {
    return sub(/\/[^\/]*$/, "", p) ? p : "."
}
function table(text, nrow, rows, i, j, n, f) {
    nrow = split(text, rows, "\n")
    for (i = 1; i <= nrow; i++) {
        n = split(rows[i], f, " ")
        for (j = 2; j <= n; j++)
            allow[f[1]] = allow[f[1]] " " f[j]
        if (n > 1)
            allow[f[1]] = allow[f[1]] " "
    }
}
function wraps(text, nrow, rows, i, f) {
    nrow = split(text, rows, "\n")
    for (i = 1; i <= nrow; i++)
        if (split(rows[i], f, " ") == 2) {
            nwrap++; wpat[nwrap] = f[1]; wfile[nwrap] = f[2]
        }
}
# Cuts comments (state carried across lines in incomment) into code, and
# literals into bare.
function strip(s, c, q, m) {
    code = ""; bare = ""
    while (s != "") {
        if (incomment) {
            m = index(s, "*/")
            if (m == 0)
                return
            s = substr(s, m + 2); incomment = 0
            code = code " "; bare = bare " "
            continue
        }
        m = match(s, /\/\*|\/\/|["\047]/)
        if (m == 0) {
            code = code s; bare = bare s
            return
        }
        code = code substr(s, 1, m - 1); bare = bare substr(s, 1, m - 1)
        c = substr(s, m, 2); s = substr(s, m)
        if (c == "//")
            return
        if (c == "/*") {
            incomment = 1; s = substr(s, 3)
            continue
        }
        q = substr(s, 1, 1)
        # A literal runs to the next unescaped quote of its kind.
        for (m = 2; m <= length(s); m++) {
            c = substr(s, m, 1)
            if (c == "\\")
                m++
            else if (c == q)
                break
        }
        code = code substr(s, 1, m); bare = bare q q
        s = substr(s, m + 1)
    }
}
function fail(msg) {
    print "lint: " msg; bad++
}
BEGIN {
    table(layers); wraps(wrappers)
    banned = "(^|[^A-Za-z0-9_])" \
        "(v?sprintf|strcpy|strcat|strtok|atoi|atof|gets)[ \t]*\\("
}
FNR == 1 {
    incomment = 0
    intests = FILENAME ~ /^tests\//
    folder = dir(FILENAME)
    if (!intests && !(folder in allow) && !(folder in told)) {
        fail(FILENAME ": folder " folder "/ has no row in the layering" \
             " table of tests/lint.sh")
        told[folder] = 1
    }
}
{
    strip($0)
    while (match(bare, banned)) {
        fn = substr(bare, RSTART, RLENGTH)
        bare = substr(bare, RSTART + RLENGTH)
        sub(/^[^a-z]*/, "", fn); sub(/[ \t]*\($/, "", fn)
        fail(FILENAME ":" FNR ": banned function " fn)
    }
    if (intests || code !~ /^[ \t]*#[ \t]*include[ \t]*["<]/)
        next
    inc = code
    sub(/^[ \t]*#[ \t]*include[ \t]*/, "", inc)
    if (substr(inc, 1, 1) == "<") {
        inc = substr(inc, 2); sub(/>.*/, "", inc)
        for (i = 1; i <= nwrap; i++)
            if (inc ~ wpat[i] && FILENAME !~ wfile[i]) {
                owner = wfile[i]; gsub(/[\^$\\]/, "", owner)
                fail(FILENAME ":" FNR ": " folder " may not include <" \
                     inc "> (only " owner " wraps it)")
            }
        next
    }
    inc = substr(inc, 2); sub(/".*/, "", inc)
    if (!(folder in allow))
        next
    if (index(allow[folder], " * ") || index(allow[folder], " " inc " ") \
        || index(allow[folder], " " dir(inc) " "))
        next
    fail(FILENAME ":" FNR ": " folder " may not include " inc)
}
END { exit bad > 0 }
' $(cat "$tmp/code" "$tmp/tests") </dev/null || rc=1

# Check 4: each header alone in a translation unit, in two lanes since the
# compiler, not the shell, is the slow part. Any output at all fails.
if [ -n "$cc" ]; then
    { grep '\.h$' "$tmp/code"; grep '^tests/support/.*\.h$' "$tmp/tests"; } \
        >"$tmp/headers"
    for lane in 0 1; do
        awk -v lane=$lane 'NR % 2 == lane' "$tmp/headers" | while read -r h; do
            out="$tmp/h.$(printf '%s' "$h" | tr / _)"
            # shellcheck disable=SC2086
            printf '#include "%s"\n' "$h" \
                | $cc $cflags -x c -fsyntax-only - >"$out" 2>&1
        done &
    done
    wait
    while read -r h; do
        out="$tmp/h.$(printf '%s' "$h" | tr / _)"
        [ -s "$out" ] || continue
        echo "lint: $h: does not compile on its own"
        sed 's/^/lint:   /' "$out"
        rc=1
    done <"$tmp/headers"
fi

[ "${rc:-0}" -eq 0 ] && echo "lint: ok"
exit "${rc:-0}"

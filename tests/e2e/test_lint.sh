#!/bin/sh
# make lint catches what it is there to catch: violations planted in a copy
# of the source tree are each named with file and line, comments and
# strings that only mention an include or a banned call are not, and a
# clean tree passes.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# copy DIR FOLDER...: the lint script and the given source folders
copy() {
    d=$1; shift
    mkdir -p "$d/tests"
    cp tests/lint.sh "$d/tests/"
    for f in "$@"; do
        mkdir -p "$d/$(dirname "$f")"
        cp -R "$f" "$d/$f"
    done
}
# lint DIR [CC CFLAGS]: runs lint on the copy in DIR, output in DIR.out
lint() {
    d=$1; shift
    sh "$d/tests/lint.sh" "$@" >"$d.out" 2>&1
}
# names DIR LINE DESCRIPTION: ok when lint's output for DIR has LINE
names() {
    if grep -qxF "$2" "$1.out"; then ok "$3"
    else not_ok "$3" "$(printf 'wanted: %s\n%s' "$2" "$(cat "$1.out")")"; fi
}

# A clean baseline: the whole tree as it is.
copy "$tmp/clean" src store scrape query ui
if lint "$tmp/clean" && [ "$(cat "$tmp/clean.out")" = "lint: ok" ]; then
    ok "a clean tree passes"
else
    not_ok "a clean tree passes" "$(cat "$tmp/clean.out")"
fi

# The same tree with violations planted: each must be named, once.
t=$tmp/tree
copy "$t" src store scrape query ui
lint "$t"
cp "$t.out" "$tmp/before.out"
if grep -q '^lint: store/chunk\.c' "$tmp/before.out"; then
    not_ok "store/chunk.c is clean before planting" "$(cat "$t.out")"
else
    ok "store/chunk.c is clean before planting"
fi
at=$(($(wc -l <"$t/store/chunk.c") + 1))
printf '#include "ui/ui.h"\n#include "scrape/pool.h"\n' >>"$t/store/chunk.c"
ps=$(($(wc -l <"$t/query/parse.c") + 1))
printf '%s\n' 'void lint_plant(char *b);' \
    'void lint_plant(char *b) { sprintf(b, "%d", 1); }' >>"$t/query/parse.c"
pc=$(($(wc -l <"$t/scrape/pool.c") + 1))
echo '#include <curl/curl.h>' >>"$t/scrape/pool.c"
# Decoys: a comment or a string that mentions an include or a banned call.
cat >"$t/store/decoy.c" <<'EOF'
/* Not an include:
#include "ui/ui.h"
   and not a call: sprintf(buf, "x"); */
// #include <curl/curl.h> strcpy(a, b)
static const char *decoy = "sprintf(\"/*\", atoi(s)) #include \"ui/ui.h\"";
static const char quote = '"'; /* sprintf( */ static int n; // gets(
EOF
mkdir -p "$t/src/nowhere"
echo 'int nowhere;' >"$t/src/nowhere/nowhere.c"

if lint "$t"; then
    not_ok "lint fails on planted violations" "$(cat "$t.out")"
else
    ok "lint fails on planted violations"
fi
names "$t" "lint: store/chunk.c:$at: store may not include ui/ui.h" \
    "store including ui/ is named with its line"
names "$t" \
    "lint: store/chunk.c:$((at + 1)): store may not include scrape/pool.h" \
    "store including scrape/ is named with its line"
names "$t" "lint: query/parse.c:$((ps + 1)): banned function sprintf" \
    "a sprintf call is named with its line"
want="lint: scrape/pool.c:$pc: scrape may not include <curl/curl.h>"
names "$t" "$want (only scrape/fetch.c wraps it)" \
    "libcurl outside scrape/fetch.c is named"
want="lint: src/nowhere/nowhere.c: folder src/nowhere/ has no row"
names "$t" "$want in the layering table of tests/lint.sh" \
    "a folder without a row in the table fails"
if grep -q 'decoy' "$t.out"; then
    not_ok "comments and strings are not includes or calls" "$(cat "$t.out")"
else
    ok "comments and strings are not includes or calls"
fi
new=$(grep -vxF -f "$tmp/before.out" "$t.out" | grep -vx 'lint: ok')
if [ "$(printf '%s\n' "$new" | wc -l)" -eq 5 ]; then
    ok "nothing else is named"
else
    not_ok "nothing else is named" "$new"
fi

# A header that does not compile on its own, and one that does.
h=$tmp/headers
mkdir -p "$h/store"
copy "$h"
printf '%s\n' '#ifndef STORE_LONE_H' '#define STORE_LONE_H' \
    'size_t lone(void);' '#endif' >"$h/store/lone.h"
printf '%s\n' '#ifndef STORE_WHOLE_H' '#define STORE_WHOLE_H' \
    '#include <stddef.h>' 'size_t whole(void);' '#endif' >"$h/store/whole.h"
lint "$h" "${CC:-cc}" "-std=c11 -I."
names "$h" "lint: store/lone.h: does not compile on its own" \
    "a header that needs an include first is named"
if grep -q 'whole\.h' "$h.out"; then
    not_ok "a header that includes what it uses passes" "$(cat "$h.out")"
else
    ok "a header that includes what it uses passes"
fi
finish

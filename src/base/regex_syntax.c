/*
 * The Go-syntax scanner behind src/base/regex.c. It reads a pattern token
 * by token in the order Go 1.19's regexp/syntax parser does, with the same
 * checks in the same order, the same error texts and quoted substrings and
 * the same limits (repeat counts, nesting), and writes a PCRE2 pattern as
 * it goes. It builds no parse tree: a few numbers per open group stand in
 * for the parts of Go's tree that its limits look at.
 *
 * Why one file of over 1000 lines: which error a bad pattern gets depends
 * on the order in which Go's parser looks at things (a class before its
 * range, a stacked repetition before a missing operand, ...), and keeping
 * tokens, escapes, classes and limits side by side keeps that order in
 * view. Its sections: output, limits, pieces, classes, escapes, brackets,
 * groups, repetition, the token loop.
 */
#include "src/base/regex_syntax.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/hex.h"
#include "src/base/utf8.h"
#include "src/base/xalloc.h"

#define HEAD       "^(?:"       /* Prometheus wraps every pattern so */
#define HEAD_LEN   4
#define TAIL       ")$"
#define MAX_HEIGHT 1000         /* Go's limit on the parse tree's height */
#define MAX_REPEAT 1000         /* Go's limit on {n,m} and nested counts */
#define MAX_RUNE   0x10FFFFu
#define NONE       SIZE_MAX

/* Go's flags, the ones (?imsU) set. */
enum {
    GF_FOLD = 1,        /* i: case-insensitive */
    GF_MULTI = 2,       /* m: ^ and $ at line ends */
    GF_DOTNL = 4,       /* s: . matches \n */
    GF_UNGREEDY = 8,    /* U: repetitions lazy unless followed by ? */
};

/* ORDER rx_code: Go's error codes, and their texts below. */
enum rx_code {
    RX_CHAR_RANGE, RX_ESCAPE, RX_NAMED, RX_PERL, RX_REPEAT_OP,
    RX_REPEAT_SIZE, RX_UTF8, RX_BRACKET, RX_PAREN, RX_REPEAT_ARG,
    RX_BACKSLASH, RX_UNEXPECTED, RX_NESTING, RX_NCODES
};

/* ORDER rx_code */
static const char *const rx_code_text[] = {
    "invalid character class range", "invalid escape sequence",
    "invalid named capture", "invalid or unsupported Perl syntax",
    "invalid nested repetition operator", "invalid repeat count",
    "invalid UTF-8", "missing closing ]", "missing closing )",
    "missing argument to repetition operator",
    "trailing backslash at end of expression", "unexpected )",
    "expression nests too deeply",
};
_Static_assert(sizeof(rx_code_text) / sizeof(rx_code_text[0]) == RX_NCODES,
               "one text per error code");

/*
 * What Go's limits need to know of a parsed piece. Go flattens a
 * concatenation inside a concatenation (and an alternation inside an
 * alternation), merges adjacent literals into one string and adjacent
 * single-character branches into one class; the kinds track just that.
 */
enum node_kind { NK_LIT, NK_CC, NK_CAT, NK_ALT, NK_OTHER };

struct node {
    enum node_kind kind;
    bool fold;          /* NK_LIT: read under (?i) */
    int runes;          /* NK_LIT: how many characters */
    int height;         /* height in Go's parse tree */
    int subh;           /* NK_CAT, NK_ALT: the tallest child's height */
    int nsub;           /* NK_CAT, NK_ALT: how many children */
    long rep;           /* worst product of counted repeats inside */
};

/* The branch being read: committed children, and the newest piece. */
struct seq {
    int n;              /* children, after flattening and merging */
    int maxh;           /* the tallest child's height */
    long rep;
    int tail_fold;      /* fold of the last child if a literal, else -1 */
    struct node only;   /* the child, while n == 1 */
    bool has_last;
    struct node last;   /* what a repetition operator would apply to */
};

/* The finished branches of a group. */
struct alt {
    int n, maxh;
    long rep;
    bool tail_cc;       /* the last branch is a single-character class */
    struct node only;   /* the branch, while n == 1 */
};

struct level {          /* an open group; level 0 is the whole text */
    unsigned flags;     /* Go's flags before the group, back at ')' */
    int pcre_fold;      /* PCRE2's caseless state before the group */
    bool capture;
    size_t open_w;      /* its '(' in the scanned text */
    size_t open_out;    /* its '(' in the output */
    struct seq seq;
    struct alt alt;
};

struct scan {
    const char *s;      /* the scanned text: HEAD pattern TAIL */
    size_t len, pos;
    size_t tok;         /* where the current token starts */
    size_t vend;        /* where the pattern ends inside s */
    unsigned flags;
    int pcre_fold;      /* PCRE2's caseless state here: 0 or 1 */
    struct buf *out, *names;
    regex_syntax_fold_fn *fold;
    int ngroups;
    struct level *lv;
    size_t nlv, caplv;
    size_t atom_out;    /* where the newest piece starts in out */
    bool atom_wrap;     /* PCRE2 needs (?:...) round it to repeat it */
    bool atom_single;   /* it is one character: a literal, class or dot */
    size_t last_rep;    /* the previous token's repetition, or NONE */
    size_t stolen;      /* a '(' of the pattern closed by TAIL's ')' */
    size_t early;       /* a ')' of the pattern closing HEAD's group */
    enum rx_code code;  /* the error: code, quoted text, where to point */
    size_t err_off, err_len, where;
    bool whole;         /* the quote is the whole text: point at one byte */
};

static int
fail(struct scan *sc, enum rx_code code, size_t off, size_t n)
{
    sc->code = code;
    sc->err_off = off;
    sc->err_len = n;
    sc->where = off;
    sc->whole = false;
    return -1;
}

/* An error that quotes the whole text, pointing at the current token. */
static int
fail_whole(struct scan *sc, enum rx_code code)
{
    fail(sc, code, 0, sc->len);
    sc->where = sc->tok;
    sc->whole = true;
    return -1;
}

static bool
is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool
is_alnum(uint32_t c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
max_int(int a, int b)
{
    return a > b ? a : b;
}

/*
 * Decodes the character at s[p..end): its width, or 0 at the end (c is
 * then U+FFFD, as Go's decoder gives), or -1 with the error set when the
 * bytes are not UTF-8 (Go quotes from there to end).
 */
static int
rune_at(struct scan *sc, size_t p, size_t end, uint32_t *c)
{
    size_t w;

    *c = 0xFFFD;
    if (p >= end)
        return 0;
    w = utf8_decode(sc->s + p, end - p, c);
    if (w == 0)
        return fail(sc, RX_UTF8, p, end - p);
    return (int)w;
}

/* Go's checkUTF8 over s[p..end). */
static int
check_utf8(struct scan *sc, size_t p, size_t end)
{
    uint32_t c;
    int w;

    for (; p < end; p += (size_t)w) {
        if ((w = rune_at(sc, p, end, &c)) < 0)
            return -1;
    }
    return 0;
}

/* ---- Output ---------------------------------------------------------- */

static void
put(struct scan *sc, const char *text)
{
    buf_puts(sc->out, text);
}

/* Inserts text at out[at], shifting what follows. */
static void
insert(struct buf *b, size_t at, const char *text)
{
    size_t n = strlen(text), tail = b->len - at;

    buf_append(b, text, n);
    memmove(b->data + at + n, b->data + at, tail);
    memcpy(b->data + at, text, n);
}

/* One character for a PCRE2 pattern, inside a class or out. */
static void
put_char(struct buf *b, uint32_t c)
{
    if (c < 0x80 && is_alnum(c))
        buf_putc(b, (char)c);
    else
        buf_printf(b, "\\x{%x}", (unsigned)c);
}

/*
 * Adds lo-hi to a class body. PCRE2 refuses a surrogate as a range's end
 * (Go can hold one, but no UTF-8 text contains it), so the ends move off
 * the surrogate block; a range left empty adds nothing.
 */
static void
cls_range(struct buf *b, uint32_t lo, uint32_t hi)
{
    if (lo >= 0xD800 && lo <= 0xDFFF)
        lo = 0xE000;
    if (hi >= 0xD800 && hi <= 0xDFFF)
        hi = 0xD7FF;
    if (lo > hi)
        return;
    put_char(b, lo);
    if (hi > lo) {
        buf_putc(b, '-');
        put_char(b, hi);
    }
}

/* ---- Go's parse-tree limits ------------------------------------------ */

static struct node
leaf(enum node_kind kind, bool fold)
{
    struct node nd = {.kind = kind, .fold = fold, .runes = 1, .height = 1};

    return nd;
}

static bool
is_cc(const struct node *nd)
{
    return nd->kind == NK_CC || (nd->kind == NK_LIT && nd->runes == 1);
}

static int
check_height(struct scan *sc, int height)
{
    return height > MAX_HEIGHT ? fail_whole(sc, RX_NESTING) : 0;
}

/* Moves the newest piece into the branch's children, as Go's push does. */
static void
seq_commit(struct seq *q)
{
    struct node *x = &q->last;

    if (!q->has_last)
        return;
    q->has_last = false;
    if (x->rep > q->rep)
        q->rep = x->rep;
    if (x->kind == NK_CAT) {
        /* Go hoists the children of a concatenation into this one. */
        q->n += x->nsub;
        q->maxh = max_int(q->maxh, x->subh);
        q->tail_fold = -1;
        return;
    }
    if (x->kind == NK_LIT && q->tail_fold == (int)x->fold) {
        /* Adjacent literals of one case mode become one string. */
        q->only.runes += x->runes;
        return;
    }
    q->n++;
    q->maxh = max_int(q->maxh, x->height);
    q->only = *x;
    q->tail_fold = x->kind == NK_LIT ? (int)x->fold : -1;
}

/* The branch as one node: empty, its only child, or a concatenation. */
static int
seq_finish(struct scan *sc, struct seq *q, struct node *out)
{
    seq_commit(q);
    if (q->n == 0) {
        *out = leaf(NK_OTHER, false);
    } else if (q->n == 1) {
        *out = q->only;
    } else {
        *out = leaf(NK_CAT, false);
        out->height = q->maxh + 1;
        out->subh = q->maxh;
        out->nsub = q->n;
    }
    out->rep = q->rep;
    memset(q, 0, sizeof(*q));
    q->tail_fold = -1;
    return check_height(sc, out->height);
}

static void
alt_add(struct alt *a, const struct node *b)
{
    if (b->rep > a->rep)
        a->rep = b->rep;
    if (b->kind == NK_ALT) {
        a->n += b->nsub;
        a->maxh = max_int(a->maxh, b->subh);
        a->tail_cc = false;
        return;
    }
    if (is_cc(b) && a->tail_cc) {
        /* Go merges neighbouring one-character branches into a class. */
        a->only = leaf(NK_CC, false);
        return;
    }
    a->n++;
    a->maxh = max_int(a->maxh, b->height);
    a->only = *b;
    a->tail_cc = is_cc(b);
}

/* The group's content as one node: its only branch or an alternation. */
static int
level_finish(struct scan *sc, struct level *l, struct node *out)
{
    struct node b;

    if (seq_finish(sc, &l->seq, &b) < 0)
        return -1;
    alt_add(&l->alt, &b);
    if (l->alt.n == 1) {
        *out = l->alt.only;
    } else {
        *out = leaf(NK_ALT, false);
        out->height = l->alt.maxh + 1;
        out->subh = l->alt.maxh;
        out->nsub = l->alt.n;
    }
    out->rep = l->alt.rep;
    return check_height(sc, out->height);
}

/*
 * Go's repeatIsValid as a number: the largest product of counts along
 * any path of nested counted repetitions ({n,m}; *, + and ? count for
 * nothing), which must stay within MAX_REPEAT. x{0} hides what is in it.
 */
static long
rep_weight(char op, int min, int max, long sub)
{
    long m;

    if (op != '{')
        return sub;
    if (max == 0)
        return 0;
    m = max < 0 ? min : max;
    if (m == 0)
        return sub;
    return m * (sub > 1 ? sub : 1);
}

/* ---- Pieces and groups ----------------------------------------------- */

static struct level *
top(struct scan *sc)
{
    return &sc->lv[sc->nlv - 1];
}

/*
 * Starts a new piece: what a following repetition applies to. A piece
 * whose meaning depends on (?i) first brings PCRE2's caseless state in
 * line with Go's flags.
 */
static void
piece(struct scan *sc, struct node nd, bool folds)
{
    struct seq *q = &top(sc)->seq;
    int want = (sc->flags & GF_FOLD) != 0;

    if (folds && sc->pcre_fold != want) {
        put(sc, want ? "(?i)" : "(?-i)");
        sc->pcre_fold = want;
    }
    seq_commit(q);
    q->last = nd;
    q->has_last = true;
    sc->atom_out = sc->out->len;
    sc->atom_wrap = false;
    sc->atom_single = nd.kind == NK_LIT || nd.kind == NK_CC;
}

static void
push_level(struct scan *sc, bool capture)
{
    struct level *l;

    if (sc->nlv == sc->caplv) {
        sc->caplv = sc->caplv ? 2 * sc->caplv : 16;
        sc->lv = xreallocarray(sc->lv, sc->caplv, sizeof(*sc->lv));
    }
    l = &sc->lv[sc->nlv++];
    memset(l, 0, sizeof(*l));
    l->flags = sc->flags;
    l->pcre_fold = sc->pcre_fold;
    l->capture = capture;
    l->open_w = sc->tok;
    l->open_out = sc->out->len;
    l->seq.tail_fold = -1;
}

static void
add_group(struct scan *sc, const char *name, size_t n)
{
    sc->ngroups++;
    buf_append(sc->names, name, n);
    buf_putc(sc->names, '\0');
}

/* A literal character. */
static int
literal(struct scan *sc, uint32_t c)
{
    piece(sc, leaf(NK_LIT, sc->flags & GF_FOLD), true);
    if (c >= 0xD800 && c <= 0xDFFF)
        put(sc, "[^\\x{0}-\\x{10ffff}]");   /* never in UTF-8 text */
    else
        put_char(sc->out, c);
    return 0;
}

/* ^ $ \A \z \b \B: PCRE2 repeats a bare assertion only inside (?:...). */
static int
anchor(struct scan *sc, size_t width, const char *text)
{
    sc->pos += width;
    piece(sc, leaf(NK_OTHER, false), false);
    put(sc, text);
    sc->atom_wrap = text[0] == '\\';
    return 0;
}

static int
dot(struct scan *sc)
{
    sc->pos++;
    piece(sc, leaf(NK_CC, false), false);
    put(sc, sc->flags & GF_DOTNL ? "(?s:.)" : ".");
    return 0;
}

/* A class body (PCRE2 syntax) as a piece: [body] or [^body]. */
static void
emit_class(struct scan *sc, const struct buf *body, bool neg)
{
    piece(sc, leaf(NK_CC, false), true);
    if (body->len == 0) {
        put(sc, neg ? "[\\x{0}-\\x{10ffff}]" : "[^\\x{0}-\\x{10ffff}]");
        return;
    }
    put(sc, neg ? "[^" : "[");
    buf_append(sc->out, body->data, body->len);
    put(sc, "]");
}

/* ---- Character classes ----------------------------------------------- */

/* Go 1.19's Unicode general categories (Unicode 13), sorted. */
static const char *const categories[] = {
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M",
    "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf",
    "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
};

/* Go 1.19's script names (Unicode 13), sorted as strcmp sorts. */
static const char *const scripts[] = {
    "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian",
    "Avestan", "Balinese", "Bamum", "Bassa_Vah", "Batak", "Bengali",
    "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid",
    "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma", "Cham",
    "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform", "Cypriot",
    "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan",
    "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian",
    "Glagolitic", "Gothic", "Grantha", "Greek", "Gujarati", "Gunjala_Gondi",
    "Gurmukhi", "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran",
    "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited",
    "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi",
    "Kannada", "Katakana", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script",
    "Khmer", "Khojki", "Khudawadi", "Lao", "Latin", "Lepcha", "Limbu",
    "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani",
    "Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen",
    "Masaram_Gondi", "Medefaidrin", "Meetei_Mayek", "Mende_Kikakui",
    "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian",
    "Mro", "Multani", "Myanmar", "Nabataean", "Nandinagari", "New_Tai_Lue",
    "Newa", "Nko", "Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki",
    "Old_Hungarian", "Old_Italic", "Old_North_Arabian", "Old_Permic",
    "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic", "Oriya",
    "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau",
    "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic",
    "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham",
    "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng", "Soyombo",
    "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le",
    "Tai_Tham", "Tai_Viet", "Takri", "Tamil", "Tangut", "Telugu", "Thaana",
    "Thai", "Tibetan", "Tifinagh", "Tirhuta", "Ugaritic", "Vai", "Wancho",
    "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
};

/* Whether name[0..n) is in the sorted table t of count entries. */
static bool
in_table(const char *const *t, size_t count, const char *name, size_t n)
{
    size_t lo = 0, hi = count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(t[mid], name, n);

        if (c == 0 && t[mid][n] != '\0')
            c = 1;      /* the entry is longer, so it sorts after */
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* The classes Go widens under (?i): those with a FoldCategory or
 * FoldScript table, whose members have case partners outside them. */
static const char *const folded[] = {
    "Common", "Greek", "Inherited", "L", "Ll", "Lt", "Lu", "M", "Mn",
};

/*
 * Adds the Unicode class called name[0..n) (negated when neg) to a class
 * body; -1 when Go knows no such name. Go's "C" has no unassigned code
 * points, PCRE2's has (Cn), so C is spelt out; and a bare script name
 * means Script Extensions in PCRE2, so scripts say sc: for Go's Script.
 * Under (?i) Go adds the case partners of a class's members, which PCRE2
 * does for listed characters but not for \p, so the classes where that
 * matters are listed out by the fold hook.
 */
static int
prop_put(struct scan *sc, struct buf *b, const char *name, size_t n,
         bool neg)
{
    size_t ncat = sizeof(categories) / sizeof(categories[0]);
    size_t nscr = sizeof(scripts) / sizeof(scripts[0]);
    bool script = in_table(scripts, nscr, name, n);
    char prop[40];

    if (n == 1 && name[0] == 'C') {
        buf_puts(b, neg ? "\\p{Cn}\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Z}"
                        : "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}");
        return 0;
    }
    if (!script && !in_table(categories, ncat, name, n)
        && !(n == 3 && memcmp(name, "Any", 3) == 0))
        return -1;
    snprintf(prop, sizeof(prop), "%s%.*s", script ? "sc:" : "", (int)n,
             name);
    if (sc->fold != NULL && (sc->flags & GF_FOLD)
        && in_table(folded, sizeof(folded) / sizeof(folded[0]), name, n))
        sc->fold(prop, neg, b);
    else
        buf_printf(b, "\\%c{%s}", neg ? 'P' : 'p', prop);
    return 0;
}

/* An ASCII class of Perl (\d) or POSIX ([:alpha:]): up to 4 ranges. */
struct aset {
    const char *name;
    unsigned char r[8];
    int n;
};

static const struct aset perl_sets[] = {
    {"d", {'0', '9'}, 1},
    {"s", {'\t', '\n', '\f', '\r', ' ', ' '}, 3},
    {"w", {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}, 4},
};

static const struct aset posix_sets[] = {
    {"alnum", {'0', '9', 'A', 'Z', 'a', 'z'}, 3},
    {"alpha", {'A', 'Z', 'a', 'z'}, 2},
    {"ascii", {0x00, 0x7f}, 1},
    {"blank", {'\t', '\t', ' ', ' '}, 2},
    {"cntrl", {0x00, 0x1f, 0x7f, 0x7f}, 2},
    {"digit", {'0', '9'}, 1},
    {"graph", {'!', '~'}, 1},
    {"lower", {'a', 'z'}, 1},
    {"print", {' ', '~'}, 1},
    {"punct", {'!', '/', ':', '@', '[', '`', '{', '~'}, 4},
    {"space", {'\t', '\r', ' ', ' '}, 2},
    {"upper", {'A', 'Z'}, 1},
    {"word", {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}, 4},
    {"xdigit", {'0', '9', 'A', 'F', 'a', 'f'}, 3},
};

static const struct aset *
find_set(const struct aset *t, size_t count, const char *name, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(t[i].name) == n && memcmp(t[i].name, name, n) == 0)
            return &t[i];
    return NULL;
}

/*
 * Adds an ASCII set to a class body, as Go builds it: under (?i) with
 * its case partners (which for k and s include U+212A KELVIN SIGN and
 * U+017F LONG S), and then negated when neg, all spelt out as ranges so
 * that PCRE2's own reading of \s or [:upper:] never comes into it.
 */
static void
cls_ascii(struct buf *b, const struct aset *set, bool neg, bool fold)
{
    bool in[128] = {false};
    uint32_t extra[2], next = 0x80;
    int nextra = 0;

    for (int i = 0; i < set->n; i++)
        for (int c = set->r[2 * i]; c <= set->r[2 * i + 1]; c++)
            in[c] = true;
    if (fold) {
        for (int c = 'A'; c <= 'Z'; c++)
            in[c] = in[c + 32] = in[c] || in[c + 32];
        if (in['s'])
            extra[nextra++] = 0x17F;
        if (in['k'])
            extra[nextra++] = 0x212A;
    }
    for (int c = 0; c < 128; c++) {
        int e = c;

        if (in[c] == neg)
            continue;
        while (e + 1 < 128 && in[e + 1] != neg)
            e++;
        cls_range(b, (uint32_t)c, (uint32_t)e);
        c = e;
    }
    for (int i = 0; i < nextra; i++) {
        if (!neg)
            cls_range(b, extra[i], extra[i]);
        else if (extra[i] > next)
            cls_range(b, next, extra[i] - 1);
        next = extra[i] + 1;
    }
    if (neg)
        cls_range(b, next, MAX_RUNE);
}

/* \d \D \s \S \w \W at s[p]; false when s[p..] is no such escape. */
static bool
perl_class(struct scan *sc, size_t p, struct buf *b)
{
    int i;

    if (sc->len - p < 2 || sc->s[p] != '\\')
        return false;
    switch (sc->s[p + 1] | 0x20) {
    case 'd': i = 0; break;
    case 's': i = 1; break;
    case 'w': i = 2; break;
    default: return false;
    }
    cls_ascii(b, &perl_sets[i], sc->s[p + 1] < 'a', sc->flags & GF_FOLD);
    return true;
}

/*
 * [:name:] or [:^name:] at s[*p] (which starts "[:"): 1 when added, 0
 * when no ":]" follows (then the '[' is an ordinary character), -1 for
 * a name Go does not know.
 */
static int
posix_class(struct scan *sc, size_t *p, struct buf *b)
{
    const char *s = sc->s;
    size_t at = *p, end = at + 2, name = at + 2;
    const struct aset *set;
    bool neg;

    while (end + 1 < sc->len && !(s[end] == ':' && s[end + 1] == ']'))
        end++;
    if (end + 1 >= sc->len)
        return 0;
    neg = s[name] == '^';
    name += neg;
    set = find_set(posix_sets, sizeof(posix_sets) / sizeof(posix_sets[0]),
                   s + name, end - name);
    if (set == NULL)
        return fail(sc, RX_CHAR_RANGE, at, end + 2 - at);
    cls_ascii(b, set, neg, sc->flags & GF_FOLD);
    *p = end + 2;
    return 1;
}

/*
 * \pX, \p{Name}, \PX, \P{Name}, \p{^Name} at s[*p]: a Unicode category,
 * script or Any, added to a class body.
 */
static int
unicode_class(struct scan *sc, size_t *p, struct buf *b)
{
    const char *s = sc->s, *brace;
    size_t at = *p, name = at + 2, nend, end;
    bool neg = s[at + 1] == 'P';
    uint32_t c;
    int w;

    if ((w = rune_at(sc, name, sc->len, &c)) < 0)
        return -1;
    if (c != '{') {
        nend = end = name + (size_t)w;
    } else {
        brace = memchr(s + at, '}', sc->len - at);
        if (brace == NULL) {
            if (check_utf8(sc, at, sc->len) < 0)
                return -1;
            return fail(sc, RX_CHAR_RANGE, at, sc->len - at);
        }
        name = at + 3;
        nend = (size_t)(brace - s);
        end = nend + 1;
        if (check_utf8(sc, name, nend) < 0)
            return -1;
    }
    if (name < nend && s[name] == '^') {
        neg = !neg;
        name++;
    }
    if (prop_put(sc, b, s + name, nend - name, neg) < 0)
        return fail(sc, RX_CHAR_RANGE, at, end - at);
    *p = end;
    return 0;
}

/* ---- Escapes --------------------------------------------------------- */

/* \xHH or \x{H...} after "\x" (p is past the x). */
static int
hex_escape(struct scan *sc, size_t start, size_t p, uint32_t *out)
{
    uint32_t c, r = 0;
    int w, x, y, n = 0;

    if (p >= sc->len)
        return fail(sc, RX_ESCAPE, start, p - start);
    if ((w = rune_at(sc, p, sc->len, &c)) < 0)
        return -1;
    p += (size_t)w;
    if (c == '{') {
        for (;;) {
            if (p >= sc->len)
                return fail(sc, RX_ESCAPE, start, p - start);
            if ((w = rune_at(sc, p, sc->len, &c)) < 0)
                return -1;
            p += (size_t)w;
            if (c == '}')
                break;
            if ((x = hex_digit(c)) < 0 || (r = r * 16 + (uint32_t)x) > MAX_RUNE)
                return fail(sc, RX_ESCAPE, start, p - start);
            n++;
        }
        if (n == 0)
            return fail(sc, RX_ESCAPE, start, p - start);
        *out = r;
        return (int)(p - start);
    }
    x = hex_digit(c);
    if ((w = rune_at(sc, p, sc->len, &c)) < 0)
        return -1;
    p += (size_t)w;
    if (x < 0 || (y = hex_digit(c)) < 0)
        return fail(sc, RX_ESCAPE, start, p - start);
    *out = (uint32_t)(x * 16 + y);
    return (int)(p - start);
}

/*
 * An escape that stands for one character, at s[start] == '\\': octal
 * (\0, \012; a lone \1 to \9 would be a backreference, which Go lacks),
 * hex, \a \f \n \r \t \v, or a backslash before punctuation. Returns its
 * width and sets *out, or -1 with the error set.
 */
static int
char_escape(struct scan *sc, size_t start, uint32_t *out)
{
    const char *s = sc->s;
    size_t p = start + 1;
    uint32_t c;
    int w;

    if (p >= sc->len)
        return fail(sc, RX_BACKSLASH, start, 0);
    if ((w = rune_at(sc, p, sc->len, &c)) < 0)
        return -1;
    p += (size_t)w;
    if (c < 0x80 && !is_alnum(c)) {
        *out = c;
        return (int)(p - start);
    }
    if (c == '0' || (c >= '1' && c <= '7' && p < sc->len && s[p] >= '0'
                     && s[p] <= '7')) {
        *out = c - '0';
        for (int i = 1; i < 3 && p < sc->len && s[p] >= '0' && s[p] <= '7';
             i++)
            *out = *out * 8 + (uint32_t)(s[p++] - '0');
        return (int)(p - start);
    }
    if (c == 'x')
        return hex_escape(sc, start, p, out);
    switch (c) {
    case 'a': *out = '\a'; break;
    case 'f': *out = '\f'; break;
    case 'n': *out = '\n'; break;
    case 'r': *out = '\r'; break;
    case 't': *out = '\t'; break;
    case 'v': *out = '\v'; break;
    default: return fail(sc, RX_ESCAPE, start, p - start);
    }
    return (int)(p - start);
}

/* ---- Bracketed classes ----------------------------------------------- */

/* One character inside [...], escaped or not. */
static int
class_char(struct scan *sc, size_t open, size_t *p, uint32_t *c)
{
    int w;

    if (*p >= sc->len)
        return fail(sc, RX_BRACKET, open, sc->len - open);
    if (sc->s[*p] == '\\')
        w = char_escape(sc, *p, c);
    else
        w = rune_at(sc, *p, sc->len, c);
    if (w < 0)
        return -1;
    *p += (size_t)w;
    return 0;
}

/*
 * class_item: "[:" name ":]" | "\p" name | "\d" (and kin) | char
 *           | char "-" char
 */
static int
class_item(struct scan *sc, size_t open, size_t *p, struct buf *b)
{
    const char *s = sc->s;
    size_t at = *p, rng = *p;
    uint32_t lo, hi;
    int rc;

    if (sc->len - at > 2 && s[at] == '[' && s[at + 1] == ':') {
        if ((rc = posix_class(sc, p, b)) != 0)
            return rc < 0 ? -1 : 0;
    }
    if (sc->len - at >= 2 && s[at] == '\\'
        && (s[at + 1] == 'p' || s[at + 1] == 'P'))
        return unicode_class(sc, p, b);
    if (perl_class(sc, at, b)) {
        *p = at + 2;
        return 0;
    }
    if (class_char(sc, open, p, &lo) < 0)
        return -1;
    hi = lo;
    if (sc->len - *p >= 2 && s[*p] == '-' && s[*p + 1] != ']') {
        (*p)++;
        if (class_char(sc, open, p, &hi) < 0)
            return -1;
        if (hi < lo)
            return fail(sc, RX_CHAR_RANGE, rng, *p - rng);
    }
    cls_range(b, lo, hi);
    return 0;
}

/* class: "[" "^"? class_item+ "]", where a first "]" is a character. */
static int
bracket(struct scan *sc)
{
    size_t open = sc->pos, p = open + 1;
    bool neg = false, first = true;
    struct buf body;
    int rc = 0;

    if (p < sc->len && sc->s[p] == '^') {
        neg = true;
        p++;
    }
    buf_init(&body, 0);
    while (rc == 0 && (p >= sc->len || sc->s[p] != ']' || first)) {
        first = false;
        rc = class_item(sc, open, &p, &body);
    }
    if (rc == 0) {
        sc->pos = p + 1;
        emit_class(sc, &body, neg);
    }
    buf_fini(&body);
    return rc;
}

/* ---- Groups ---------------------------------------------------------- */

/* Go's capture names: [A-Za-z0-9_]+. */
static bool
valid_name(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_alnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return n > 0;
}

/*
 * The output is compiled with PCRE2_NO_AUTO_CAPTURE, so a bare "(" only
 * groups (PCRE2 nests those far deeper than "(?:"), and each of Go's
 * capturing groups becomes "(?<_N>" with N its number.
 */
static void
open_capture(struct scan *sc, size_t after, const char *name, size_t n)
{
    sc->pos = after;
    add_group(sc, name, n);
    push_level(sc, true);
    buf_printf(sc->out, "(?<_%d>", sc->ngroups);
}

/* named: "(?P<" name ">" (the only named form Go 1.19 has) */
static int
named_group(struct scan *sc)
{
    const char *s = sc->s, *gt;
    size_t at = sc->pos, name = at + 4, end;

    gt = memchr(s + at, '>', sc->len - at);
    if (gt == NULL) {
        if (check_utf8(sc, at, sc->len) < 0)
            return -1;
        return fail(sc, RX_NAMED, at, sc->len - at);
    }
    end = (size_t)(gt - s);
    if (check_utf8(sc, name, end) < 0)
        return -1;
    if (!valid_name(s + name, end - name))
        return fail(sc, RX_NAMED, at, end + 1 - at);
    open_capture(sc, end + 1, s + name, end - name);
    return 0;
}

static unsigned
flag_bit(uint32_t c)
{
    switch (c) {
    case 'i': return GF_FOLD;
    case 'm': return GF_MULTI;
    case 's': return GF_DOTNL;
    case 'U': return GF_UNGREEDY;
    default: return 0;
    }
}

/*
 * perl_group: "(?P<" name ">" | "(?" flags ")" | "(?" flags ":"
 * flags: [imsU]* ("-" [imsU]+)?
 * Everything else after "(?" (lookarounds, atomic groups, comments,
 * (?<name>...), ...) is Go's "invalid or unsupported Perl syntax".
 */
static int
perl_group(struct scan *sc)
{
    size_t at = sc->pos, p = at + 2;
    unsigned fl = sc->flags, bit;
    bool neg = false, saw = false;
    uint32_t c;
    int w;

    if (sc->len - at > 4 && sc->s[at + 2] == 'P' && sc->s[at + 3] == '<')
        return named_group(sc);
    while (p < sc->len) {
        if ((w = rune_at(sc, p, sc->len, &c)) < 0)
            return -1;
        p += (size_t)w;
        if ((bit = flag_bit(c)) != 0) {
            fl = neg ? fl & ~bit : fl | bit;
            saw = true;
        } else if (c == '-' && !neg) {
            neg = true;
            saw = false;
        } else if ((c == ':' || c == ')') && (!neg || saw)) {
            sc->pos = p;
            if (c == ':') {
                push_level(sc, false);
                put(sc, "(");
            }
            sc->flags = fl;
            return 0;
        } else {
            break;
        }
    }
    return fail(sc, RX_PERL, at, p - at);
}

static int
open_group(struct scan *sc)
{
    if (sc->pos + 1 < sc->len && sc->s[sc->pos + 1] == '?')
        return perl_group(sc);
    open_capture(sc, sc->pos + 1, "", 0);
    return 0;
}

/*
 * "|": the branch so far joins the group's alternatives. In PCRE2 as in
 * Go a (?i) carries on into the following branches, so pcre_fold stays.
 */
static int
bar(struct scan *sc)
{
    struct level *l = top(sc);
    struct node b;

    sc->pos++;
    if (seq_finish(sc, &l->seq, &b) < 0)
        return -1;
    alt_add(&l->alt, &b);
    put(sc, "|");
    return 0;
}

/* ")": the group becomes one piece of the enclosing branch. */
static int
close_group(struct scan *sc)
{
    struct level *l;
    struct node x;
    size_t open_out;

    sc->pos++;
    if (sc->nlv == 1) {
        fail_whole(sc, RX_UNEXPECTED);
        if (sc->early != NONE)
            sc->where = sc->early;  /* the ')' that closed HEAD's group */
        return -1;
    }
    l = top(sc);
    if (level_finish(sc, l, &x) < 0)
        return -1;
    if (l->capture) {
        x.kind = NK_OTHER;
        if (check_height(sc, ++x.height) < 0)
            return -1;
    }
    if (sc->nlv == 2 && sc->tok < sc->vend && sc->early == NONE)
        sc->early = sc->tok;
    if (sc->tok >= sc->vend && l->open_w >= HEAD_LEN)
        sc->stolen = l->open_w;
    sc->flags = l->flags;
    sc->pcre_fold = l->pcre_fold;
    open_out = l->open_out;
    sc->nlv--;
    put(sc, ")");
    piece(sc, x, false);
    sc->atom_out = open_out;
    return 0;
}

/* ---- Repetition ------------------------------------------------------ */

/*
 * Writes the quantifier for the newest piece. PCRE2's DFA matcher counts
 * the characters of a one-character x+ (and x{n,}) in its states, which
 * makes (x+)+ take time cubic in the text, so those become xx* (and
 * x{n}x*): the same language and the same leftmost-first choices.
 */
static void
put_quantifier(struct scan *sc, char op, int min, int max)
{
    struct buf *o = sc->out;
    size_t at = sc->atom_out, n = o->len - at;

    if (sc->atom_single && (op == '+' || (op == '{' && max < 0
                                          && min > 0))) {
        char *again = xstrndup(o->data + at, n);

        if (op == '{' && min > 1)
            buf_printf(o, "{%d}", min);
        buf_puts(o, again);
        buf_putc(o, '*');
        free(again);
    } else if (op != '{') {
        buf_putc(o, op);
    } else if (max == min) {
        buf_printf(o, "{%d}", min);
    } else if (max < 0) {
        buf_printf(o, "{%d,}", min);
    } else {
        buf_printf(o, "{%d,%d}", min, max);
    }
}

/*
 * Applies op (* + ? or { for {min,max}) to the newest piece; s[before]
 * is the operator and s[after] what follows it. Go's order of checks:
 * a stacked operator, then a missing operand, then height and counts.
 */
static int
repeat(struct scan *sc, size_t before, size_t after, char op, int min,
       int max, size_t *rep)
{
    struct seq *q = &top(sc)->seq;
    bool lazy = (sc->flags & GF_UNGREEDY) != 0;
    struct node x;

    if (after < sc->len && sc->s[after] == '?') {
        after++;
        lazy = !lazy;
    }
    if (sc->last_rep != NONE)
        return fail(sc, RX_REPEAT_OP, sc->last_rep, after - sc->last_rep);
    if (!q->has_last)
        return fail(sc, RX_REPEAT_ARG, before, after - before);
    x = leaf(NK_OTHER, false);
    x.height = q->last.height + 1;
    x.rep = rep_weight(op, min, max, q->last.rep);
    if (check_height(sc, x.height) < 0)
        return -1;
    if (op == '{' && (min >= 2 || max >= 2) && x.rep > MAX_REPEAT)
        return fail(sc, RX_REPEAT_SIZE, before, after - before);
    q->last = x;
    if (sc->atom_wrap) {
        insert(sc->out, sc->atom_out, "(");
        put(sc, ")");
    }
    put_quantifier(sc, op, min, max);
    put(sc, lazy ? "?" : "");
    sc->atom_wrap = true;
    sc->atom_single = false;
    sc->pos = after;
    *rep = before;
    return 0;
}

/* A decimal number without a leading zero; -1 for one past 8 digits. */
static bool
parse_int(const char *s, size_t *p, size_t end, int *n)
{
    size_t q = *p;

    if (q >= end || !is_digit((unsigned char)s[q]))
        return false;
    if (q + 1 < end && s[q] == '0' && is_digit((unsigned char)s[q + 1]))
        return false;
    for (*n = 0; q < end && is_digit((unsigned char)s[q]); q++) {
        if (*n >= 100000000)
            *n = -1;
        if (*n >= 0)
            *n = *n * 10 + (s[q] - '0');
    }
    *p = q;
    return true;
}

/* count: "{" int "}" | "{" int ",}" | "{" int "," int "}" (max -1: none) */
static bool
parse_count(const char *s, size_t p, size_t end, int *min, int *max,
            size_t *after)
{
    p++;
    if (!parse_int(s, &p, end, min) || p >= end)
        return false;
    if (s[p] != ',') {
        *max = *min;
    } else {
        if (++p >= end)
            return false;
        if (s[p] == '}')
            *max = -1;
        else if (!parse_int(s, &p, end, max))
            return false;
        else if (*max < 0)
            *min = -1;
    }
    if (p >= end || s[p] != '}')
        return false;
    *after = p + 1;
    return true;
}

/* "{": a counted repetition, or else a literal '{'. */
static int
brace(struct scan *sc, size_t *rep)
{
    size_t at = sc->pos, after;
    int min, max;

    if (!parse_count(sc->s, at, sc->len, &min, &max, &after)) {
        sc->pos++;
        return literal(sc, '{');
    }
    if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT
        || (max >= 0 && min > max))
        return fail(sc, RX_REPEAT_SIZE, at, after - at);
    return repeat(sc, at, after, '{', min, max, rep);
}

/* ---- The token loop -------------------------------------------------- */

/* \Q...\E: literal characters up to \E or the end of the text. */
static int
quoted(struct scan *sc)
{
    size_t p = sc->pos + 2, end = p, next;
    uint32_t c;
    int w;

    while (end + 1 < sc->len && !(sc->s[end] == '\\' && sc->s[end + 1] == 'E'))
        end++;
    if (end + 1 >= sc->len) {
        end = next = sc->len;
    } else {
        next = end + 2;
    }
    for (; p < end; p += (size_t)w) {
        if ((w = rune_at(sc, p, end, &c)) < 0)
            return -1;
        literal(sc, c);
    }
    sc->pos = next;
    return 0;
}

/* A class escape (\pN, \d, ...) outside brackets: a one-item class. */
static int
class_escape(struct scan *sc, bool unicode)
{
    struct buf body;
    size_t p = sc->pos;
    int rc = 0;

    buf_init(&body, 0);
    if (unicode)
        rc = unicode_class(sc, &p, &body);
    else
        p += 2;
    if (rc == 0) {
        if (!unicode)
            perl_class(sc, sc->pos, &body);
        sc->pos = p;
        emit_class(sc, &body, false);
    }
    buf_fini(&body);
    return rc;
}

/* escape: "\A" | "\b" | "\B" | "\z" | "\Q...\E" | class | char */
static int
backslash(struct scan *sc)
{
    const char *s = sc->s;
    size_t at = sc->pos;
    uint32_t c;
    int w;

    if (sc->len - at >= 2) {
        switch (s[at + 1]) {
        case 'A': return anchor(sc, 2, "\\A");
        case 'b': return anchor(sc, 2, "\\b");
        case 'B': return anchor(sc, 2, "\\B");
        case 'z': return anchor(sc, 2, "\\z");
        case 'C': return fail(sc, RX_ESCAPE, at, 2);    /* any byte */
        case 'Q': return quoted(sc);
        case 'p': case 'P': return class_escape(sc, true);
        default: break;
        }
        if (strchr("dDsSwW", s[at + 1]) != NULL)
            return class_escape(sc, false);
    }
    if ((w = char_escape(sc, at, &c)) < 0)
        return -1;
    sc->pos += (size_t)w;
    return literal(sc, c);
}

/* A literal character as it stands in the text. */
static int
plain(struct scan *sc)
{
    uint32_t c;
    int w = rune_at(sc, sc->pos, sc->len, &c);

    if (w < 0)
        return -1;
    sc->pos += (size_t)w;
    return literal(sc, c);
}

/* One token; *rep is set to its start when it is a repetition. */
static int
token(struct scan *sc, size_t *rep)
{
    bool multi = (sc->flags & GF_MULTI) != 0;

    switch (sc->s[sc->pos]) {
    case '(': return open_group(sc);
    case '|': return bar(sc);
    case ')': return close_group(sc);
    case '^': return anchor(sc, 1, multi ? "(?m:^)" : "\\A");
    case '$': return anchor(sc, 1, multi ? "(?m:$)" : "\\z");
    case '.': return dot(sc);
    case '[': return bracket(sc);
    case '*': case '+': case '?':
        return repeat(sc, sc->pos, sc->pos + 1, sc->s[sc->pos], 0, 0, rep);
    case '{': return brace(sc, rep);
    case '\\': return backslash(sc);
    default: return plain(sc);
    }
}

static int
scan_all(struct scan *sc)
{
    struct node x;

    push_level(sc, false);
    while (sc->pos < sc->len) {
        size_t rep = NONE;

        sc->tok = sc->pos;
        if (token(sc, &rep) < 0)
            return -1;
        sc->last_rep = rep;
    }
    sc->tok = sc->len;
    if (level_finish(sc, top(sc), &x) < 0)
        return -1;
    if (sc->nlv > 1) {
        fail_whole(sc, RX_PAREN);
        sc->where = sc->stolen != NONE ? sc->stolen : top(sc)->open_w;
        return -1;
    }
    return 0;
}

/* The diag: Go's message, and a column and span inside the pattern. */
static void
report(const struct scan *sc, size_t plen, struct diag *d)
{
    size_t col = sc->where > HEAD_LEN ? sc->where - HEAD_LEN : 0;
    size_t span = sc->err_len;

    if (col > plen)
        col = plen;
    if (sc->whole)
        span = 1;
    else if (sc->err_off < HEAD_LEN || span > plen - col)
        span = plen - col;
    diag_set(d, 1, (int)col + 1, (int)(span > 0 ? span : 1),
             "error parsing regexp: %s: `%.*s`", rx_code_text[sc->code],
             (int)sc->err_len, sc->s + sc->err_off);
}

int
regex_syntax_translate(const char *pattern, size_t len,
                       regex_syntax_fold_fn *fold, struct buf *pcre,
                       struct buf *names, struct diag *d)
{
    struct scan sc = {.out = pcre, .names = names, .fold = fold,
                      .last_rep = NONE, .stolen = NONE, .early = NONE};
    size_t out0 = pcre->len, names0 = names->len;
    struct buf text;
    int rc;

    buf_init(&text, 0);
    buf_puts(&text, HEAD);
    buf_append(&text, pattern, len);
    buf_puts(&text, TAIL);
    sc.s = text.data;
    sc.len = text.len;
    sc.vend = HEAD_LEN + len;
    rc = scan_all(&sc);
    if (rc == 0 && sc.early != NONE) {
        /* ^(?:a)(b)$ parses, but Prometheus parses "a)(b" alone too. */
        rc = fail(&sc, RX_UNEXPECTED, HEAD_LEN, len);
        sc.where = sc.early;
        sc.whole = true;
    }
    if (rc < 0) {
        report(&sc, len, d);
        pcre->len = out0;
        names->len = names0;
        if (pcre->data != NULL)
            pcre->data[out0] = '\0';
        if (names->data != NULL)
            names->data[names0] = '\0';
    }
    free(sc.lv);
    buf_fini(&text);
    return rc < 0 ? -1 : sc.ngroups;
}

/*
 * The template parser: Go's text/template grammar over the tokens of
 * template_lex.c, building the tree of template_parse.h and checking
 * what Go checks at parse time
 * (undefined variables and functions, misplaced else/end/break). It does
 * not evaluate anything. Errors unwind with longjmp: every node lives in
 * the arena, so nothing needs freeing on the way out.
 */
#include "src/rules/template_parse.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/buf.h"
#include "src/rules/template_lex.h"

struct parser {
    struct arena *a;
    const char *name, *text;
    size_t len;
    struct tlex lx;
    struct tlex_token tok;  /* current token */
    bool have_peek;
    struct tlex_token peek;
    const char *vars[64];   /* variables in scope */
    size_t nvars;
    size_t var_base;        /* the first one the current template sees */
    size_t act_off;         /* where the last action's "{{" is */
    struct tlex_token name_tok; /* the last template name read */
    int range_depth;
    struct tdef **set;
    tparse_known_fn known;
    struct diag *d;
    jmp_buf fail;
};

static void fail_at(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), __noreturn__));

/* Records the error at byte off and unwinds to tparse. */
static void
fail_at(struct parser *p, size_t off, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set_at(p->d, p->text, p->len, off, 1, "%s", msg);
    p->d->source = p->name;
    longjmp(p->fail, 1);
}

/* The next token (text, or inside an action), consuming it. */
static struct tlex_token
next(struct parser *p)
{
    struct tlex_token t;

    if (p->have_peek) {
        p->have_peek = false;
        p->tok = p->peek;
        return p->tok;
    }
    t = tlex_next(&p->lx);
    p->tok = t;
    return t;
}

/* The next token without consuming it (one token of lookahead). */
static struct tlex_token
peek(struct parser *p)
{
    if (!p->have_peek) {
        struct tlex_token cur = p->tok;

        p->peek = next(p);
        p->tok = cur;
        p->have_peek = true;
    }
    return p->peek;
}

/* The next token that is not a space, consuming it and the spaces. */
static struct tlex_token
next_nonspace(struct parser *p)
{
    struct tlex_token t;

    do
        t = next(p);
    while (t.kind == TK_SPACE);
    return t;
}

/* The next non-space token, consuming only the spaces before it. */
static struct tlex_token
peek_nonspace(struct parser *p)
{
    struct tlex_token t;

    while ((t = peek(p)).kind == TK_SPACE)
        next(p);
    return t;
}

/* Is t the bare word w? */
static bool
is_word(const struct parser *p, struct tlex_token t, const char *w)
{
    return t.kind == TK_IDENT && strlen(w) == t.len
           && memcmp(p->text + t.off, w, t.len) == 0;
}

/* Go's description of a token in "unexpected X" messages. */
static const char *
describe(struct parser *p, struct tlex_token t)
{
    static const char *const kw[] = {"if", "else", "end", "range", "with",
        "define", "template", "block", "break", "continue", NULL};
    char *s;
    size_t i;

    if (t.kind == TK_EOF)
        return "EOF";
    for (i = 0; t.kind == TK_IDENT && kw[i]; i++)
        if (is_word(p, t, kw[i])) {
            s = arena_alloc(p->a, t.len + 3);
            snprintf(s, t.len + 3, "<%s>", kw[i]);
            return s;
        }
    /* Go quotes the token, cut to 10 characters */
    s = arena_alloc(p->a, t.len + 6);
    snprintf(s, t.len + 6, "\"%.*s\"%s", (int)(t.len > 10 ? 10 : t.len),
             p->text + t.off, t.len > 10 ? "..." : "");
    return s;
}

/* Fails with Go's "unexpected X in context". */
static void
unexpected(struct parser *p, struct tlex_token t, const char *context)
{
    fail_at(p, t.off, "unexpected %s in %s", describe(p, t), context);
}

/* A fresh node of kind at token t. */
static struct tnode *
node_at(struct parser *p, enum tnode_kind kind, struct tlex_token t)
{
    struct tnode *n = arena_calloc(p->a, 1, sizeof *n);
    struct diag tmp;

    n->kind = kind;
    diag_clear(&tmp);
    diag_set_at(&tmp, p->text, p->len, t.off, 1, "-");
    n->line = tmp.line;
    n->col = tmp.col;
    n->src = p->text + t.off;
    n->srclen = t.len;
    return n;
}

/* A string or character constant's value (Go's strconv.Unquote). */
static char *
unquote(struct parser *p, struct tlex_token t, size_t *len)
{
    char *s = tlex_unquote(p->a, p->text, t, len);

    if (!s)
        fail_at(p, t.off, "invalid syntax");
    return s;
}

/* Decodes the first UTF-8 code point of s (n bytes). */
static long
first_rune(const unsigned char *s, size_t n)
{
    int k = s[0] < 0x80 ? 0 : s[0] < 0xE0 ? 1 : s[0] < 0xF0 ? 2 : 3;
    long c = k == 0 ? s[0] : s[0] & (0x3F >> k);
    int i;

    if ((size_t)k + 1 != n)
        return -1;
    for (i = 1; i <= k; i++)
        c = c << 6 | (s[i] & 0x3F);
    return c;
}

/* number: Go's NumberNode, which readings (int, float) fit the text. */
static struct tnode *
parse_number(struct parser *p, struct tlex_token t)
{
    struct tnode *n = node_at(p, TN_NUMBER, t);
    char *s = arena_strndup(p->a, p->text + t.off, t.len), *end;
    size_t len;

    if (t.kind == TK_CHAR) {
        char *v = unquote(p, t, &len);

        n->ival = len ? first_rune((unsigned char *)v, len) : -1;
        if (n->ival < 0)
            fail_at(p, t.off, "malformed character constant: %s", s);
        n->is_int = n->is_float = n->is_uint = true;
        n->fval = (double)n->ival;
        return n;
    }
    n->ival = strtoll(s, &end, 0);
    n->is_int = *end == '\0' && s[0] != '\0' && !strchr(s, '.');
    n->fval = strtod(s, &end);
    n->is_float = *end == '\0' && strncmp(s + (*s == '-' || *s == '+'),
                                          "0x", 2) != 0;
    if (n->is_int)
        n->fval = (double)n->ival;
    else if (n->is_float && n->fval == (double)(int64_t)n->fval
             && !strpbrk(s, ".eEpP"))
        n->is_int = true, n->ival = (int64_t)n->fval;
    n->is_uint = n->is_int && n->ival >= 0;
    n->float_lit = n->is_float && strpbrk(s, ".eEpP") != NULL;
    if (!n->is_int && !n->is_float)
        fail_at(p, t.off, "illegal number syntax: \"%s\"", s);
    return n;
}

static struct tpipe *parse_pipeline(struct parser *p, const char *context,
                                    enum tlex_kind end);

/* Is the variable named by t (its bytes) in scope? */
static bool
var_known(const struct parser *p, struct tlex_token t)
{
    size_t i;

    for (i = p->nvars; i-- > p->var_base;)
        if (strlen(p->vars[i]) == t.len
            && memcmp(p->vars[i], p->text + t.off, t.len) == 0)
            return true;
    return false;
}

/*
 * term: literal | function | '.' | field | variable | '(' pipeline ')'
 * Returns NULL (with the token put back) when t starts no term.
 */
static struct tnode *
parse_term(struct parser *p)
{
    struct tlex_token t = next_nonspace(p);
    struct tnode *n;
    char *word = arena_strndup(p->a, p->text + t.off, t.len);

    switch (t.kind) {
    case TK_IDENT:
        if (!strcmp(word, "true") || !strcmp(word, "false")) {
            n = node_at(p, TN_BOOL, t);
            n->bval = word[0] == 't';
        } else if (!strcmp(word, "nil")) {
            n = node_at(p, TN_NIL, t);
        } else {
            if (!p->known(word))
                fail_at(p, t.off, "function \"%s\" not defined", word);
            n = node_at(p, TN_IDENT, t);
        }
        break;
    case TK_DOT: n = node_at(p, TN_DOT, t); break;
    case TK_VAR:
        if (!var_known(p, t))
            fail_at(p, t.off, "undefined variable \"%s\"", word);
        n = node_at(p, TN_VAR, t);
        break;
    case TK_FIELD:
        n = node_at(p, TN_FIELD, t);
        n->fields = arena_alloc(p->a, sizeof *n->fields);
        n->fields[n->nfields++] = word + 1;
        return n;
    case TK_NUMBER: case TK_CHAR: return parse_number(p, t);
    case TK_STRING: case TK_RAW:
        n = node_at(p, TN_STRING, t);
        n->str = unquote(p, t, &n->len);
        return n;
    case TK_LPAREN:
        n = node_at(p, TN_PIPE, t);
        n->pipe = parse_pipeline(p, "parenthesized pipeline", TK_RPAREN);
        n->srclen = p->tok.off + p->tok.len - t.off;
        return n;
    default:
        p->have_peek = true;
        p->peek = t;
        return NULL;
    }
    n->str = word;
    return n;
}

/* operand: term ('.' field)* */
static struct tnode *
parse_operand(struct parser *p)
{
    struct tnode *n = parse_term(p);
    size_t cap = 0;

    if (!n || peek(p).kind != TK_FIELD)
        return n;
    if (n->kind != TN_FIELD && n->kind != TN_VAR && n->kind != TN_PIPE
        && n->kind != TN_IDENT)
        fail_at(p, peek(p).off, "unexpected . after term \"%.*s\"",
                (int)n->srclen, n->src);
    if (n->kind == TN_IDENT)
        fail_at(p, peek(p).off, "function %s has no fields", n->str);
    cap = n->nfields;
    while (peek(p).kind == TK_FIELD) {
        struct tlex_token f = next(p);

        n->fields = arena_realloc(p->a, n->fields, cap * sizeof *n->fields,
                                  (cap + 1) * sizeof *n->fields);
        n->fields[n->nfields++] = arena_strndup(p->a, p->text + f.off + 1,
                                                f.len - 1);
        cap++;
        n->srclen = f.off + f.len - (size_t)(n->src - p->text);
    }
    return n;
}

/* command: operand (space operand)* */
static struct tcmd *
parse_command(struct parser *p)
{
    struct tcmd *c = arena_calloc(p->a, 1, sizeof *c);
    struct tnode **tail = &c->args, *n;
    struct tlex_token t;

    for (;;) {
        peek_nonspace(p);
        if ((n = parse_operand(p)) != NULL) {
            if (!c->args) {
                c->line = n->line;
                c->col = n->col;
                c->src = n->src;
            }
            c->srclen = (size_t)(n->src + n->srclen - c->src);
            *tail = n;
            tail = &n->next;
            c->nargs++;
        }
        t = next(p);
        if (t.kind == TK_SPACE)
            continue;
        if (t.kind == TK_RIGHT || t.kind == TK_RPAREN) {
            p->have_peek = true;
            p->peek = t;
        } else if (t.kind != TK_PIPE) {
            unexpected(p, t, "operand");
        }
        break;
    }
    if (!c->nargs)
        fail_at(p, t.off, "empty command");
    return c;
}

/* The lexer's whole state, to back up over a few tokens. */
struct lexstate {
    struct tlex lx;
    bool have_peek;
    struct tlex_token tok, peek;
};

/* Backing up copies the lexer, which is a plain value. */
static struct lexstate
save(const struct parser *p)
{
    return (struct lexstate){p->lx, p->have_peek, p->tok, p->peek};
}

/* Returns to a state save took. */
static void
restore(struct parser *p, struct lexstate s)
{
    p->lx = s.lx;
    p->have_peek = s.have_peek;
    p->tok = s.tok;
    p->peek = s.peek;
}

/* Declares variable t for the rest of its scope. */
static void
declare(struct parser *p, struct tpipe *pipe, struct tlex_token t)
{
    const char *name = arena_strndup(p->a, p->text + t.off, t.len);

    if (p->nvars == sizeof p->vars / sizeof p->vars[0])
        fail_at(p, t.off, "too many variables");
    pipe->decl[pipe->ndecl++] = name;
    p->vars[p->nvars++] = name;
}

/* decls: variable (':=' | '=') | variable ',' variable ':=' (range only) */
static void
parse_decls(struct parser *p, struct tpipe *pipe, const char *context)
{
    struct lexstate s = save(p);
    struct tlex_token v = peek_nonspace(p), t;

    if (v.kind != TK_VAR)
        return;
    s = save(p);
    next(p);
    t = peek_nonspace(p);
    if (t.kind == TK_ASSIGN || t.kind == TK_DECLARE) {
        next(p);
        pipe->is_assign = t.kind == TK_ASSIGN;
        declare(p, pipe, v);
        return;
    }
    if (t.kind != TK_COMMA) {
        restore(p, s);
        return;
    }
    next(p);
    declare(p, pipe, v);
    if (strcmp(context, "range") != 0 || pipe->ndecl > 1)
        fail_at(p, t.off, "too many declarations in %s", context);
    v = peek_nonspace(p);
    if (v.kind != TK_VAR)
        fail_at(p, v.off, "range can only initialize variables");
    next(p);
    t = next_nonspace(p);
    if (t.kind != TK_ASSIGN && t.kind != TK_DECLARE)
        fail_at(p, t.off, "range can only initialize variables");
    pipe->is_assign = t.kind == TK_ASSIGN;
    declare(p, pipe, v);
}

/* pipeline: decls? command ('|' command)* */
static struct tpipe *
parse_pipeline(struct parser *p, const char *context, enum tlex_kind end)
{
    struct tpipe *pipe = arena_calloc(p->a, 1, sizeof *pipe);
    struct tcmd **tail = &pipe->cmds, *c;
    struct tlex_token t;
    int stage = 1;

    parse_decls(p, pipe, context);
    for (;;) {
        t = next_nonspace(p);
        if (t.kind == end)
            break;
        if (t.kind == TK_RIGHT || t.kind == TK_RPAREN || t.kind == TK_EOF
            || t.kind == TK_DECLARE || t.kind == TK_ASSIGN
            || t.kind == TK_COMMA || t.kind == TK_PIPE)
            unexpected(p, t, context);
        p->have_peek = true;
        p->peek = t;
        c = parse_command(p);
        if (stage > 1 && (c->args->kind == TN_BOOL || c->args->kind == TN_DOT
            || c->args->kind == TN_NIL || c->args->kind == TN_NUMBER
            || c->args->kind == TN_STRING))
            fail_at(p, t.off, "non executable command in pipeline stage %d",
                    stage);
        stage++;
        *tail = c;
        tail = &c->next;
    }
    if (!pipe->cmds)
        fail_at(p, t.off, "missing value for %s", context);
    pipe->line = pipe->cmds->line;
    pipe->col = pipe->cmds->col;
    return pipe;
}

/* How a list ended. */
enum stop { STOP_EOF, STOP_END, STOP_ELSE, STOP_ELSE_IF };

static struct tnode *parse_list(struct parser *p, enum stop *how);
static struct tnode *parse_control(struct parser *p, enum tnode_kind kind,
                                   struct tlex_token at);

/* Expects the right delimiter closing context. */
static void
expect_right(struct parser *p, const char *context)
{
    struct tlex_token t = next_nonspace(p);

    if (t.kind != TK_RIGHT)
        unexpected(p, t, context);
}

/* A template name: a string or raw string constant. */
static const char *
parse_template_name(struct parser *p, const char *context)
{
    struct tlex_token t = next_nonspace(p);
    size_t len;

    p->name_tok = t;
    if (t.kind != TK_STRING && t.kind != TK_RAW)
        unexpected(p, t, context);
    return unquote(p, t, &len);
}

/*
 * definition: list '{{end}}'
 * The body of a define or block, parsed as a template of its own.
 */
static void
parse_definition(struct parser *p, const char *name, const char *context)
{
    struct tdef *def = arena_calloc(p->a, 1, sizeof *def);
    size_t nvars = p->nvars, base = p->var_base;
    int depth = p->range_depth;
    enum stop how;

    /* a definition sees only "$", not the caller's variables */
    p->var_base = p->nvars;
    p->vars[p->nvars++] = "$";
    p->range_depth = 0;
    def->name = name;
    def->root = parse_list(p, &how);
    if (how == STOP_EOF)
        fail_at(p, p->len, "unexpected EOF");
    if (how != STOP_END)
        fail_at(p, p->act_off, "unexpected {{else}} in %s", context);
    p->nvars = nvars;
    p->var_base = base;
    p->range_depth = depth;
    def->next = *p->set;
    *p->set = def;
}

/* template: '{{template' name pipeline? '}}' */
static struct tnode *
parse_template(struct parser *p, struct tlex_token at, bool block)
{
    const char *context = block ? "block clause" : "template clause";
    const char *name = parse_template_name(p, context);
    /* Go places the node at its name */
    struct tnode *n = node_at(p, TN_TEMPLATE, p->name_tok);
    struct tlex_token t;

    (void)at;
    n->str = name;
    t = next_nonspace(p);
    if (t.kind != TK_RIGHT || block) {
        p->have_peek = true;
        p->peek = t;
        n->pipe = parse_pipeline(p, context, TK_RIGHT);
    }
    if (block)
        parse_definition(p, n->str, context);
    return n;
}

/* action: '{{' (keyword clause | pipeline) '}}'; how reports end/else. */
static struct tnode *
parse_action(struct parser *p, enum stop *how)
{
    struct tlex_token t = next_nonspace(p);
    struct tnode *n;

    *how = STOP_EOF;
    if (is_word(p, t, "if"))
        return parse_control(p, TN_IF, t);
    if (is_word(p, t, "range"))
        return parse_control(p, TN_RANGE, t);
    if (is_word(p, t, "with"))
        return parse_control(p, TN_WITH, t);
    if (is_word(p, t, "template") || is_word(p, t, "block"))
        return parse_template(p, t, is_word(p, t, "block"));
    if (is_word(p, t, "end")) {
        expect_right(p, "end");
        *how = STOP_END;
        return NULL;
    }
    if (is_word(p, t, "else")) {
        if (is_word(p, peek_nonspace(p), "if")) {
            *how = STOP_ELSE_IF;
            return NULL;
        }
        expect_right(p, "else");
        *how = STOP_ELSE;
        return NULL;
    }
    if (is_word(p, t, "break") || is_word(p, t, "continue")) {
        bool brk = is_word(p, t, "break");

        if (!p->range_depth)
            fail_at(p, t.off, "{{%s}} outside {{range}}",
                    brk ? "break" : "continue");
        expect_right(p, brk ? "{{break}}" : "{{continue}}");
        return node_at(p, brk ? TN_BREAK : TN_CONTINUE, t);
    }
    p->have_peek = true;
    p->peek = t;
    n = node_at(p, TN_ACTION, t);
    n->pipe = parse_pipeline(p, "command", TK_RIGHT);
    return n;
}

/*
 * control: pipeline '}}' list ('{{else}}' list | '{{else if' control)?
 *          '{{end}}'
 * Variables declared in the pipeline or body end with the clause.
 */
static struct tnode *
parse_control(struct parser *p, enum tnode_kind kind, struct tlex_token at)
{
    static const char *const ctx[] = {[TN_IF] = "if", [TN_RANGE] = "range",
                                      [TN_WITH] = "with"};
    struct tnode *n = node_at(p, kind, at);
    size_t nvars = p->nvars;
    enum stop how;

    n->pipe = parse_pipeline(p, ctx[kind], TK_RIGHT);
    p->range_depth += kind == TN_RANGE;
    n->list = parse_list(p, &how);
    p->range_depth -= kind == TN_RANGE;
    if (how == STOP_ELSE_IF && kind == TN_IF) {
        n->else_list = parse_control(p, TN_IF, next_nonspace(p));
    } else if (how == STOP_ELSE_IF) {
        unexpected(p, peek_nonspace(p), "else");
    } else if (how == STOP_ELSE) {
        n->else_list = parse_list(p, &how);
        if (how != STOP_END)
            fail_at(p, p->act_off, "expected end; found %s",
                    how == STOP_EOF ? "EOF" : "{{else}}");
    }
    if (how == STOP_EOF)
        fail_at(p, p->len, "unexpected EOF");
    p->nvars = nvars;
    return n;
}

/* list: (text | action)* up to {{end}}, {{else}} or the end of input */
static struct tnode *
parse_list(struct parser *p, enum stop *how)
{
    struct tnode *head = NULL, **tail = &head, *n;
    struct tlex_token t;

    for (;;) {
        t = next(p);
        if (t.kind == TK_EOF) {
            *how = STOP_EOF;
            return head;
        }
        if (t.kind == TK_TEXT) {
            if (t.tlen == 0)
                continue;
            n = node_at(p, TN_TEXT, t);
            n->str = p->text + t.off;
            n->len = t.tlen;
        } else if ((p->act_off = t.off, is_word(p, peek_nonspace(p),
                                                 "define"))) {
            fail_at(p, peek(p).off, "unexpected <define> in command");
        } else if ((n = parse_action(p, how)) == NULL) {
            return head;
        }
        *tail = n;
        tail = &n->next;
    }
}

/*
 * top: (text | '{{define' name '}}' definition | action)*
 * The top level: {{define}} may appear here only, and no end or else.
 */
static struct tnode *
parse_top(struct parser *p)
{
    struct tnode *head = NULL, **tail = &head, *n;
    struct tlex_token t;
    enum stop how;
    const char *name;

    for (;;) {
        t = next(p);
        if (t.kind == TK_EOF)
            return head;
        if (t.kind == TK_TEXT && t.tlen == 0)
            continue;
        if (t.kind == TK_TEXT) {
            n = node_at(p, TN_TEXT, t);
            n->str = p->text + t.off;
            n->len = t.tlen;
        } else if (is_word(p, peek_nonspace(p), "define")) {
            next(p);
            name = parse_template_name(p, "define clause");
            expect_right(p, "define clause");
            parse_definition(p, name, "define clause");
            continue;
        } else if ((n = parse_action(p, &how)) == NULL) {
            fail_at(p, t.off, "unexpected {{%s}}",
                    how == STOP_END ? "end" : "else");
        }
        *tail = n;
        tail = &n->next;
    }
}

int
tparse(struct arena *a, struct tdef **set, const char *name,
       const char *text, const char *const *predeclared,
       tparse_known_fn known, struct diag *d)
{
    struct parser *p = arena_calloc(a, 1, sizeof *p);
    struct tdef *def = arena_calloc(a, 1, sizeof *def);
    int jr;

    p->a = a;
    p->name = name;
    p->text = text;
    p->len = strlen(text);
    p->set = set;
    p->known = known;
    p->d = d;
    p->vars[p->nvars++] = "$";
    while (predeclared && *predeclared)
        p->vars[p->nvars++] = *predeclared++;
    tlex_init(&p->lx, text, p->len, &p->fail);
    if ((jr = setjmp(p->fail)) != 0) {
        /* 2: the lexer's error, not yet in the diag */
        if (jr == 2) {
            diag_set_at(d, text, p->len, p->lx.err_off, 1, "%s",
                        p->lx.msg);
            d->source = name;
        }
        return -1;
    }
    def->name = name;
    def->root = parse_top(p);
    def->next = *set;
    *set = def;
    return 0;
}

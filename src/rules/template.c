/*
 * The template executor: walks the tree template_parse.c built, the way
 * Go's text/template executes (dot, variables and their scopes, field
 * chains on maps and structs, pipelines passing their value as the last
 * argument, Go's argument conversions and error texts). It does not do
 * method calls on values (e.g. a time's .Format) or Go 1.21+ additions.
 * Errors unwind with longjmp: everything lives in the run's arena.
 */
#include "src/rules/template.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/arena.h"
#include "src/base/xalloc.h"
#include "src/rules/template_funcs.h"
#include "src/rules/template_humanize.h"
#include "src/rules/template_parse.h"
#include "src/rules/template_value.h"

/* Deeper {{template}} nesting is an error (Go allows 100000; C recursion
 * is kept well inside the stack). */
#define MAX_DEPTH 1000

struct tmpl {
    struct arena *a;
    const char *name;
    const char *text;
    struct tdef *set;
};

struct var {
    const char *name;
    struct tval v;
};

/* Where an error is reported: a node's position and source text. */
struct where {
    int line, col;
    const char *src;
    size_t len;
};

struct run {
    const struct tmpl *t;
    const char *tname;          /* the template executing */
    struct buf *out;
    struct diag *d;
    struct tfunc_ctx fc;
    struct var *vars;
    size_t nvars, cap;
    size_t base;                /* the first variable the template sees */
    struct where at;
    struct buf scratch;         /* what an action prints, before output */
    int depth;
    jmp_buf fail;
};

/* How a list's walk ended. */
enum flow { FLOW_NEXT, FLOW_BREAK, FLOW_CONTINUE };

static void fail(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), __noreturn__));

/*
 * Fails the run: `executing "name" at <node>: msg`, at the node. The
 * node is quoted whole, as the Go 1.19 that builds Prometheus 2.42 does
 * (promtool 2.42 prints `at <humanizeTimestamp 1e10>`).
 */
static void
fail(struct run *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(r->d, r->at.line, r->at.col, r->at.len ? (int)r->at.len : 1,
             "executing \"%s\" at <%.*s>: %s", r->tname, (int)r->at.len,
             r->at.src, msg);
    r->d->source = r->t->name;
    longjmp(r->fail, 1);
}

static void
at_node(struct run *r, const struct tnode *n)
{
    r->at = (struct where){n->line, n->col, n->src, n->srclen};
}

static void
at_cmd(struct run *r, const struct tcmd *c)
{
    r->at = (struct where){c->line, c->col, c->src, c->srclen};
}

static void
push_var(struct run *r, const char *name, struct tval v)
{
    if (r->nvars == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->vars = xreallocarray(r->vars, r->cap, sizeof *r->vars);
    }
    r->vars[r->nvars++] = (struct var){name, v};
}

/* The innermost variable called name. */
static struct var *
find_var(struct run *r, const char *name)
{
    size_t i;

    for (i = r->nvars; i-- > r->base;)
        if (!strcmp(r->vars[i].name, name))
            return &r->vars[i];
    fail(r, "undefined variable: %s", name);
}

/* What the last field of a command's chain may take as a method: the
 * command's other operands and the piped value. */
struct margs {
    struct tval dot;
    const struct tcmd *c;
    const struct tval *final;
};

static struct tval eval_arg(struct run *r, struct tval dot,
                            const struct tnode *n, char p);
static struct tval validate(struct run *r, struct tval v, char p);

/*
 * The methods of a time (Go's *time.Time) that templates use: Format,
 * String, Unix, UnixMilli and UTC (all times here are UTC already).
 */
static struct tval
time_method(struct run *r, struct tval t, const char *name,
            const struct margs *m)
{
    size_t nargs = m ? m->c->nargs - 1 + (m->final != NULL) : 0;
    size_t want = !strcmp(name, "Format");
    struct tval v = {0};
    struct buf b;

    if (strcmp(name, "Format") && strcmp(name, "String")
        && strcmp(name, "Unix") && strcmp(name, "UnixMilli")
        && strcmp(name, "UTC"))
        fail(r, "can't evaluate field %s in type %s", name, tval_type(&t));
    if (nargs != want)
        fail(r, "wrong number of args for %s: want %zu got %zu", name, want,
             nargs);
    if (!strcmp(name, "UTC"))
        return t;
    if (!strcmp(name, "Unix") || !strcmp(name, "UnixMilli"))
        return (struct tval){.kind = TV_INT,
                             .i = name[4] ? t.i : (t.i - ((t.i % 1000
                                  + 1000) % 1000)) / 1000};
    if (want)
        v = m->c->nargs > 1 ? eval_arg(r, m->dot, m->c->args->next, 's')
                            : validate(r, *m->final, 's');
    buf_init(&b, 0);
    if (want)
        tfunc_time_format(&b, t.i, v.s);
    else
        tval_time(&b, t.i);
    v = (struct tval){.kind = TV_STRING, .len = b.len};
    v.s = arena_strdup(r->fc.a, buf_str(&b));
    buf_fini(&b);
    return v;
}

/*
 * One step of a field chain, recv.name. m: the operands or piped value
 * that follow (NULL for none), which only a method could take; only a
 * time has methods. A missing label is "", as Prometheus's
 * missingkey=zero has it.
 */
static struct tval
eval_field(struct run *r, struct tval recv, const char *name,
           const struct margs *m)
{
    static const char *const data_fields[] = {"Labels", "ExternalLabels",
                                              "ExternalURL", "Value"};
    bool has_args = m && (m->c->nargs > 1 || m->final);
    const char *s;
    char *end;
    size_t i;

    if (recv.kind == TV_INVALID)
        return recv;
    if (recv.kind == TV_TIME)
        return time_method(r, recv, name, m);
    if (recv.kind == TV_LABELS || recv.kind == TV_ARGS) {
        if (has_args)
            fail(r, "%s is not a method but has arguments", name);
        if (recv.kind == TV_LABELS) {
            s = labels_get(recv.labels, name);
            return (struct tval){.kind = TV_STRING, .s = s ? s : "",
                                 .len = s ? strlen(s) : 0};
        }
        if (!strncmp(name, "arg", 3) && name[3] >= '0' && name[3] <= '9'
            && (name[3] != '0' || !name[4])
            && (i = strtoul(name + 3, &end, 10)) < recv.nargs && !*end)
            return recv.args[i];
        return (struct tval){.kind = TV_NIL};
    }
    if (recv.kind == TV_NIL)
        fail(r, "nil pointer evaluating interface {}.%s", name);
    if (recv.kind == TV_SAMPLE && recv.samples == NULL)
        fail(r, "nil pointer evaluating %s.%s", tval_type(&recv), name);
    for (i = 0; recv.kind == TV_DATA && i < 4; i++)
        if (!strcmp(name, data_fields[i])) {
            if (has_args)
                fail(r, "%s has arguments but cannot be invoked as function",
                     name);
            return recv.args[i];
        }
    if (recv.kind == TV_SAMPLE && (!strcmp(name, "Labels")
                                   || !strcmp(name, "Value"))) {
        if (has_args)
            fail(r, "%s has arguments but cannot be invoked as function",
                 name);
        if (name[0] == 'V')
            return (struct tval){.kind = TV_FLOAT,
                                 .f = recv.samples->value};
        return (struct tval){.kind = TV_LABELS,
                             .labels = &recv.samples->labels};
    }
    fail(r, "can't evaluate field %s in type %s", name, tval_type(&recv));
}

/* Follows fields from recv; m (operands for a method) applies to the
 * last one. */
static struct tval
eval_chain(struct run *r, struct tval recv, const char *const *fields,
           size_t n, const struct margs *m)
{
    size_t i;

    for (i = 0; i < n; i++)
        recv = eval_field(r, recv, fields[i], i + 1 == n ? m : NULL);
    return recv;
}

/* A literal's value where any type goes (Go's idealConstant). */
static struct tval
ideal(struct run *r, const struct tnode *n)
{
    switch (n->kind) {
    case TN_BOOL: return (struct tval){.kind = TV_BOOL, .b = n->bval};
    case TN_STRING: return (struct tval){.kind = TV_STRING, .s = n->str,
                                         .len = n->len};
    case TN_NUMBER:
        if (n->float_lit)
            return (struct tval){.kind = TV_FLOAT, .f = n->fval};
        if (n->is_int)
            return (struct tval){.kind = TV_INT, .i = n->ival};
        fail(r, "%.*s overflows int", (int)n->srclen, n->src);
    default:
        return (struct tval){0};
    }
}

/* Checks v against parameter type p as Go's validateType does. */
static struct tval
validate(struct run *r, struct tval v, char p)
{
    static const enum tv_kind want[128] = {
        ['s'] = TV_STRING, ['f'] = TV_FLOAT, ['i'] = TV_INT,
        ['S'] = TV_SAMPLE, ['Q'] = TV_RESULT,
    };

    /* reflect.Value takes anything; interface{} anything valid */
    if (p == 'v' || (p == 'a' && v.kind != TV_INVALID))
        return v;
    /* an invalid value becomes a nil interface, pointer or slice */
    if (v.kind <= TV_NIL && (p == 'a' || p == 'S' || p == 'Q'))
        return (struct tval){.kind = p == 'a' ? TV_NIL : want[(int)p]};
    if (v.kind <= TV_NIL)
        fail(r, "invalid value; expected %s", tfunc_param_type(p));
    /* no conversions: Go's reflection only assigns equal types */
    if (v.kind != want[(int)p])
        fail(r, "wrong type for value; expected %s; got %s",
             tfunc_param_type(p), tval_type(&v));
    return v;
}

static struct tval eval_pipeline(struct run *r, struct tval dot,
                                 const struct tpipe *p);
static struct tval eval_call(struct run *r, struct tval dot,
                             const struct tcmd *c, const struct tval *final);

/* The value of operand n, which takes no arguments. */
static struct tval
eval_operand(struct run *r, struct tval dot, const struct tnode *n)
{
    struct tval v;
    struct tcmd c = {0};

    switch (n->kind) {
    case TN_DOT: return dot;
    case TN_FIELD: return eval_chain(r, dot, n->fields, n->nfields, NULL);
    case TN_VAR:
        v = find_var(r, n->str)->v;
        return eval_chain(r, v, n->fields, n->nfields, NULL);
    case TN_PIPE:
        v = eval_pipeline(r, dot, n->pipe);
        return eval_chain(r, v, n->fields, n->nfields, NULL);
    case TN_IDENT:
        c = (struct tcmd){(struct tnode *)n, 1, NULL, n->line, n->col,
                          n->src, n->srclen};
        return eval_call(r, dot, &c, NULL);
    default:
        return ideal(r, n);
    }
}

/* Argument n for a parameter of type p (Go's evalArg). */
static struct tval
eval_arg(struct run *r, struct tval dot, const struct tnode *n, char p)
{
    at_node(r, n);
    /* nil fits only parameters that can be nil */
    if (n->kind == TN_NIL) {
        if (p == 'a' || p == 'S' || p == 'Q')
            return validate(r, (struct tval){.kind = TV_NIL}, p);
        fail(r, "cannot assign nil to %s", tfunc_param_type(p));
    }
    /* computed operands are checked after the fact; literals are
       read for the parameter's type, as Go's evalArg reads them */
    if (n->kind < TN_NIL || n->kind > TN_STRING || p == 'a' || p == 'v')
        return validate(r, eval_operand(r, dot, n), p);
    if (p == 's' && n->kind == TN_STRING)
        return ideal(r, n);
    if (p == 'f' && n->kind == TN_NUMBER && n->is_float)
        return (struct tval){.kind = TV_FLOAT, .f = n->fval};
    if (p == 'i' && n->kind == TN_NUMBER && n->is_int)
        return (struct tval){.kind = TV_INT, .i = n->ival};
    if (p == 's' || p == 'f' || p == 'i')
        fail(r, "expected %s; found %.*s",
             p == 's' ? "string" : p == 'f' ? "float" : "integer",
             (int)n->srclen, n->src);
    fail(r, "can't handle %.*s for arg of type %s", (int)n->srclen, n->src,
         tfunc_param_type(p));
}

/* Go's and/or: the first falsy (and) or truthy (or) operand, else the
 * last; later operands are not evaluated. */
static struct tval
eval_and_or(struct run *r, struct tval dot, const struct tcmd *c,
            const struct tval *final, bool is_or)
{
    const struct tnode *a;
    struct tval v = {0};

    for (a = c->args->next; a; a = a->next) {
        v = eval_arg(r, dot, a, 'v');
        if (tval_truth(&v) == is_or)
            return v;
    }
    return final ? *final : v;
}

/* A function call: the command's operands, then the piped value. */
static struct tval
eval_call(struct run *r, struct tval dot, const struct tcmd *c,
          const struct tval *final)
{
    const struct tfunc *f = tfunc_find(c->args->str);
    size_t len = strlen(f->params), i = 0;
    bool variadic = len > 0 && f->params[len - 1] == '*';
    size_t nletters = len - variadic, nfixed = nletters - variadic;
    size_t nargs = c->nargs - 1 + (final != NULL);
    const struct tnode *a;
    struct tval *argv, res = {0};

    at_node(r, c->args);
    /* the count includes the piped value, which goes last */
    if (variadic && nargs < nfixed)
        fail(r, "wrong number of args for %s: want at least %zu got %zu",
             f->name, nfixed, nargs);
    if (!variadic && nargs != nfixed)
        fail(r, "wrong number of args for %s: want %zu got %zu", f->name,
             nfixed, nargs);
    /* and/or have no body: they decide which operands to evaluate */
    if (!f->fn)
        return eval_and_or(r, dot, c, final, f->name[0] == 'o');
    argv = arena_calloc(r->fc.a, nargs + 1, sizeof *argv);
    for (a = c->args->next; a; a = a->next, i++)
        argv[i] = eval_arg(r, dot, a, f->params[i < nletters ? i
                                                 : nletters - 1]);
    if (final) {
        at_node(r, c->args);
        argv[i] = validate(r, *final, f->params[i < nletters ? i
                                                : nletters - 1]);
    }
    r->fc.err[0] = '\0';
    /* Go reports a failing call at the whole command */
    if (f->fn(&r->fc, argv, nargs, &res) < 0) {
        at_cmd(r, c);
        fail(r, "error calling %s: %s", f->name, r->fc.err);
    }
    return res;
}

/* Refuses operands or a piped value for what is not a function. */
static void
not_a_function(struct run *r, const struct tcmd *c, const struct tval *final)
{
    if (c->nargs > 1 || final)
        fail(r, "can't give argument to non-function %.*s",
             (int)c->args->srclen, c->args->src);
}

/* command: its first word decides (field, function, variable, literal) */
static struct tval
eval_command(struct run *r, struct tval dot, const struct tcmd *c,
             const struct tval *final)
{
    const struct tnode *w = c->args;
    struct margs m = {dot, c, final};
    struct tval v;

    at_node(r, w);
    switch (w->kind) {
    case TN_FIELD:
        return eval_chain(r, dot, w->fields, w->nfields, &m);
    case TN_IDENT:
        return eval_call(r, dot, c, final);
    case TN_VAR: case TN_PIPE:
        if (w->nfields == 0)
            not_a_function(r, c, final);
        v = w->kind == TN_VAR ? find_var(r, w->str)->v
                              : eval_pipeline(r, dot, w->pipe);
        return eval_chain(r, v, w->fields, w->nfields, &m);
    case TN_NIL:
        fail(r, "nil is not a command");
    default:
        not_a_function(r, c, final);
        return w->kind == TN_DOT ? dot : ideal(r, w);
    }
}

/* pipeline: each command's value goes last into the next; then the
 * declarations take it. */
static struct tval
eval_pipeline(struct run *r, struct tval dot, const struct tpipe *p)
{
    const struct tcmd *c;
    struct tval v = {0};
    size_t i;

    for (c = p->cmds; c; c = c->next) {
        /* the first command gets no piped value, the others the last */
        struct tval prev = v;

        v = eval_command(r, dot, c, c == p->cmds ? NULL : &prev);
        /* Go digs into an interface{} result: a nil one becomes no
           value at all (printed "<no value>", nil again as an arg) */
        if (v.kind == TV_NIL)
            v = (struct tval){.kind = TV_INVALID};
    }
    /* ":=" declares in the current scope, "=" sets the innermost */
    for (i = 0; i < p->ndecl; i++) {
        if (p->is_assign)
            find_var(r, p->decl[i])->v = v;
        else
            push_var(r, p->decl[i], v);
    }
    return v;
}

static enum flow walk(struct run *r, struct tval dot, const struct tnode *n);

/* Appends what an action prints; the output's ceiling is an error. */
static void
emit(struct run *r, const char *s, size_t len)
{
    if (buf_append(r->out, s, len) < 0)
        fail(r, "output larger than %zu bytes", r->out->max);
}

/* One pass of a range body with $i (idx) and $v (elem) set. */
static enum flow
range_once(struct run *r, const struct tnode *n, struct tval idx,
           struct tval elem)
{
    const struct tpipe *p = n->pipe;
    size_t mark = r->nvars;
    enum flow f;

    /* $i, $v := ... were pushed by the pipeline: set them in place;
       with "=" they are variables of an outer scope */
    if (p->ndecl > 0 && p->is_assign) {
        find_var(r, p->decl[0])->v = p->ndecl > 1 ? idx : elem;
        if (p->ndecl > 1)
            find_var(r, p->decl[1])->v = elem;
    } else if (p->ndecl > 0) {
        r->vars[r->nvars - 1].v = elem;
        if (p->ndecl > 1)
            r->vars[r->nvars - 2].v = idx;
    }
    f = walk(r, elem, n->list);
    /* variables declared in the body end with the iteration */
    r->nvars = mark;
    return f;
}

/* range: over a query result's samples, or a map's values by key. */
static enum flow
walk_range(struct run *r, struct tval dot, const struct tnode *n)
{
    size_t mark = r->nvars, i, count = 0;
    struct tval v = eval_pipeline(r, dot, n->pipe), idx, elem;
    struct buf tmp;

    if (v.kind == TV_RESULT)
        count = v.n;
    else if (v.kind == TV_LABELS)
        count = v.labels ? v.labels->n : 0;
    else if (v.kind == TV_ARGS)
        count = v.nargs;
    else if (v.kind > TV_NIL) {
        at_node(r, n);
        char *what;

        buf_init(&tmp, 0);
        tval_print(&tmp, &v);
        what = arena_strdup(r->fc.a, buf_str(&tmp));
        buf_fini(&tmp);
        fail(r, "range can't iterate over %s", what);
    }
    for (i = 0; i < count; i++) {
        idx = (struct tval){.kind = TV_INT, .i = (int64_t)i};
        if (v.kind == TV_RESULT) {
            elem = (struct tval){.kind = TV_SAMPLE, .samples = &v.samples[i]};
        } else if (v.kind == TV_LABELS) {
            idx = (struct tval){.kind = TV_STRING, .s = v.labels->v[i].name,
                                .len = strlen(v.labels->v[i].name)};
            elem = (struct tval){.kind = TV_STRING,
                                 .s = v.labels->v[i].value,
                                 .len = strlen(v.labels->v[i].value)};
        } else {
            /* Go ranges over a map in key order: arg0, arg1, arg10 */
            size_t k = tval_arg_at(i, v.nargs);
            char *key = arena_alloc(r->fc.a, 24);

            snprintf(key, 24, "arg%zu", k);
            idx = (struct tval){.kind = TV_STRING, .s = key,
                                .len = strlen(key)};
            elem = v.args[k];
        }
        if (range_once(r, n, idx, elem) == FLOW_BREAK)
            break;
    }
    if (count == 0 && n->else_list)
        walk(r, dot, n->else_list);
    r->nvars = mark;
    return FLOW_NEXT;
}

/* The definition called name, the latest if redefined. */
static const struct tdef *
lookup(const struct tmpl *t, const char *name)
{
    const struct tdef *d;

    for (d = t->set; d; d = d->next)
        if (!strcmp(d->name, name))
            return d;
    return NULL;
}

/* Points errors at a {{template}} node, written back as Go writes it. */
static void
at_template(struct run *r, const struct tnode *n)
{
    const struct tcmd *c = n->pipe ? n->pipe->cmds : NULL, *last = c;
    struct buf b;

    while (last && last->next)
        last = last->next;
    buf_init(&b, 0);
    buf_printf(&b, "{{template \"%s\"", n->str);
    if (c)
        buf_printf(&b, " %.*s", (int)(last->src + last->srclen - c->src),
                   c->src);
    buf_puts(&b, "}}");
    r->at.src = arena_strdup(r->fc.a, buf_str(&b));
    r->at.len = b.len;
    buf_fini(&b);
}

/* template: runs a definition with dot set and only "$" defined. */
static void
walk_template(struct run *r, struct tval dot, const struct tnode *n)
{
    const struct tdef *def = lookup(r->t, n->str);
    const char *tname = r->tname;
    size_t base = r->base, mark = r->nvars;
    struct tval v = {0};

    at_node(r, n);
    /* the node's text is built only for an error */
    if (!def || r->depth >= MAX_DEPTH)
        at_template(r, n);
    if (!def)
        fail(r, "template \"%s\" not defined", n->str);
    if (r->depth >= MAX_DEPTH)
        fail(r, "exceeded maximum template depth (%d)", MAX_DEPTH);
    if (n->pipe)
        v = eval_pipeline(r, dot, n->pipe);
    /* the callee sees only its own "$", set to the new dot */
    r->base = r->nvars;
    push_var(r, "$", v);
    r->tname = def->name;
    r->depth++;
    walk(r, v, def->root);
    r->depth--;
    r->tname = tname;
    r->base = base;
    r->nvars = mark;
}

/* if and with: the body when the pipeline's value is true, else the
 * else branch; with sets dot to the value. */
static enum flow
walk_if_with(struct run *r, struct tval dot, const struct tnode *n)
{
    size_t mark = r->nvars;
    struct tval v = eval_pipeline(r, dot, n->pipe);
    enum flow f = FLOW_NEXT;

    if (tval_truth(&v))
        f = walk(r, n->kind == TN_WITH ? v : dot, n->list);
    else if (n->else_list)
        f = walk(r, dot, n->else_list);
    r->nvars = mark;
    return f;
}

/* Runs a list of items; stops early at {{break}} or {{continue}}. */
static enum flow
walk(struct run *r, struct tval dot, const struct tnode *n)
{
    enum flow f = FLOW_NEXT;

    for (; n && f == FLOW_NEXT; n = n->next) {
        at_node(r, n);
        switch (n->kind) {
        case TN_TEXT: emit(r, n->str, n->len); break;
        case TN_ACTION: {
            struct tval v = eval_pipeline(r, dot, n->pipe);

            /* a declaration prints nothing */
            if (n->pipe->ndecl > 0)
                break;
            buf_reset(&r->scratch);
            tval_print(&r->scratch, &v);
            emit(r, buf_str(&r->scratch), r->scratch.len);
            break;
        }
        case TN_IF: case TN_WITH: f = walk_if_with(r, dot, n); break;
        case TN_RANGE: f = walk_range(r, dot, n); break;
        case TN_TEMPLATE: walk_template(r, dot, n); break;
        case TN_BREAK: f = FLOW_BREAK; break;
        case TN_CONTINUE: f = FLOW_CONTINUE; break;
        default: break;
        }
    }
    return f;
}

struct tmpl *
tmpl_parse(const char *name, const char *text, struct diag *d)
{
    static const char *const predeclared[] = {"$labels", "$externalLabels",
                                              "$externalURL", "$value",
                                              NULL};
    struct tmpl *t = xcalloc(1, sizeof *t);

    t->a = arena_new();
    t->name = arena_strdup(t->a, name);
    t->text = arena_strdup(t->a, text);
    diag_clear(d);
    if (tparse(t->a, &t->set, t->name, t->text, predeclared, tfunc_known,
               d) < 0) {
        tmpl_free(t);
        return NULL;
    }
    return t;
}

void
tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    arena_free(t->a);
    free(t);
}

/* The rule's data as the template's dot, and its four variables. */
static struct tval
root_data(struct run *r, const struct tmpl_data *data)
{
    static const struct labels none;
    struct tval *f = arena_calloc(r->fc.a, 4, sizeof *f);
    const char *url = data->external_url ? data->external_url : "";

    f[0] = (struct tval){.kind = TV_LABELS,
                         .labels = data->labels ? data->labels : &none};
    f[1] = (struct tval){.kind = TV_LABELS,
                         .labels = data->external_labels
                                   ? data->external_labels : &none};
    f[2] = (struct tval){.kind = TV_STRING, .s = url, .len = strlen(url)};
    f[3] = (struct tval){.kind = TV_FLOAT, .f = data->value};
    push_var(r, "$", (struct tval){.kind = TV_DATA, .args = f, .nargs = 4});
    push_var(r, "$labels", f[0]);
    push_var(r, "$externalLabels", f[1]);
    push_var(r, "$externalURL", f[2]);
    push_var(r, "$value", f[3]);
    return r->vars[0].v;
}

int
tmpl_exec(const struct tmpl *t, const struct tmpl_data *data,
          struct buf *out, struct diag *d)
{
    struct run *r = xcalloc(1, sizeof *r);
    volatile int rc = -1;

    diag_clear(d);
    r->t = t;
    r->tname = t->name;
    r->out = out;
    r->d = d;
    r->fc.data = data;
    r->fc.a = arena_new();
    buf_init(&r->scratch, 0);
    /* errors longjmp back here; all the run's memory is freed below */
    if (!setjmp(r->fail)) {
        walk(r, root_data(r, data), lookup(t, t->name)->root);
        rc = 0;
    }
    buf_fini(&r->scratch);
    arena_free(r->fc.a);
    free(r->vars);
    free(r);
    return rc;
}

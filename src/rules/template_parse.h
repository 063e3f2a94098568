/*
 * The parsed form of a template: Go's text/template parse tree, reduced to
 * what promdeck's template engine executes. template_parse.c turns text
 * into these nodes; template.c walks them. Nothing here evaluates.
 *
 * Ownership: every node, string and array lives in the arena of the
 * template set they were parsed into and goes with it.
 */
#ifndef RULES_TEMPLATE_PARSE_H
#define RULES_TEMPLATE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/base/arena.h"
#include "src/base/diag.h"

enum tnode_kind {
    /* list items */
    TN_TEXT, TN_ACTION, TN_IF, TN_RANGE, TN_WITH, TN_TEMPLATE,
    TN_BREAK, TN_CONTINUE,
    /* operands of a command */
    TN_FIELD, TN_VAR, TN_DOT, TN_NIL, TN_BOOL, TN_NUMBER, TN_STRING,
    TN_IDENT, TN_PIPE,
};

struct tpipe;

/* One node; which members are used depends on kind. */
struct tnode {
    enum tnode_kind kind;
    int line, col;          /* where it starts in the text, 1-based */
    const char *src;        /* its source text, for error messages */
    size_t srclen;
    struct tnode *next;     /* the next item of a list or command */
    const char *str;        /* TEXT, STRING value, IDENT or VAR name,
                               TEMPLATE name */
    size_t len;             /* TEXT and STRING length */
    const char **fields;    /* FIELD, VAR and PIPE: .a.b field chain */
    size_t nfields;
    bool is_int, is_float;  /* NUMBER: which readings fit */
    bool is_uint;
    bool float_lit;         /* NUMBER: written as a float (1.0, 1e3) */
    int64_t ival;
    double fval;
    bool bval;              /* BOOL */
    struct tpipe *pipe;     /* ACTION, IF, RANGE, WITH, TEMPLATE, PIPE */
    struct tnode *list;     /* IF, RANGE, WITH: the body */
    struct tnode *else_list;
};

/* A command: operands separated by spaces, args[0] may be a function. */
struct tcmd {
    struct tnode *args;     /* linked through next */
    size_t nargs;
    struct tcmd *next;
    int line, col;
    const char *src;
    size_t srclen;
};

/* A pipeline with its optional variable declarations. */
struct tpipe {
    bool is_assign;         /* "=" rather than ":=" */
    const char *decl[2];
    size_t ndecl;
    struct tcmd *cmds;      /* linked through next */
    int line, col;
};

/* A named template of a set. */
struct tdef {
    const char *name;
    struct tnode *root;
    struct tdef *next;
};

/* The function names a template may call (for "function not defined"). */
typedef bool (*tparse_known_fn)(const char *name);

/*
 * Parses text into set (a list of named templates, new ones pushed at
 * its head), the text itself being the template name. predeclared names
 * the variables the template may use without declaring them (NULL
 * ended). Returns 0, or -1 with d set (source name, line, column).
 */
int tparse(struct arena *a, struct tdef **set, const char *name,
           const char *text, const char *const *predeclared,
           tparse_known_fn known, struct diag *d);

#endif

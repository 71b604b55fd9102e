/*
 * _cscanner: the native twin of cookiegate.html.tokenizer.PyTokenizer.
 *
 * Why this exists: the gate sees every byte of every HTML response, so the scanner is the
 * hot loop of the whole middleware. The pure-Python tokenizer (regular expressions) is the
 * reference implementation; this file re-implements, byte for byte, the part of it that the
 * gate uses: watch mode (emit_all off), tree effects on, data state at the start. Everything
 * here must produce the token stream and `consumed` offsets the Python scanner produces; the
 * differential tests in tests/test_native_scanner.py hold the two together.
 *
 * Spec references are to the WHATWG HTML standard, section 13.2.5 (tokenization) and
 * 13.2.6.5 (rules for parsing tokens in foreign content).
 *
 * Memory safety: every read of buf[i] is guarded by i < n, where n is the length of the
 * bytes object the iterator holds a reference to. Helper functions take (buf, from, n) and
 * never look at or beyond n.
 *
 * What stays in Python: Token objects (constructed from here by calling the Python class),
 * attribute parsing (Token.attrs, lazy), names that are not plain ASCII (decoded by a Python
 * callback so that the decoding rules live in one place), and the two tree-construction
 * checks that need attribute values (<font color|face|size> and <annotation-xml encoding>
 * inside foreign content), which are rare.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Byte classes
 * ------------------------------------------------------------------------------------- */

#define C_WS 1        /* \t \n \f \r space: the tokenizer's whitespace (CR before preprocessing) */
#define C_NAME_END 2  /* ends a tag or attribute name: whitespace, '/', '>' */
#define C_ALPHA 4     /* ASCII letter: starts a tag name */
#define C_SEP 8       /* before/after attribute name: whitespace or '/' */
#define C_UQ_END 16   /* ends an unquoted attribute value: whitespace or '>' */

static unsigned char cls[256];
static unsigned char lower[256];

static void
init_tables(void)
{
    for (int i = 0; i < 256; i++) {
        lower[i] = (unsigned char)((i >= 'A' && i <= 'Z') ? i + 32 : i);
        cls[i] = 0;
        if ((i >= 'A' && i <= 'Z') || (i >= 'a' && i <= 'z'))
            cls[i] |= C_ALPHA;
    }
    const char *ws = "\t\n\f\r ";
    for (const char *p = ws; *p; p++)
        cls[(unsigned char)*p] |= C_WS | C_NAME_END | C_SEP | C_UQ_END;
    cls['/'] |= C_NAME_END | C_SEP;
    cls['>'] |= C_NAME_END | C_UQ_END;
}

/* Case-insensitive (ASCII) comparison of b[0:len] with an already lower-case literal. */
static int
eq_lower(const unsigned char *b, Py_ssize_t len, const char *lit, Py_ssize_t litlen)
{
    if (len != litlen)
        return 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        if (lower[b[i]] != (unsigned char)lit[i])
            return 0;
    }
    return 1;
}

/* Whether the lower-cased b[0:len] is a prefix of lit (lit lower-case, NUL-terminated). */
static int
is_prefix_lower(const unsigned char *b, Py_ssize_t len, const char *lit)
{
    Py_ssize_t litlen = (Py_ssize_t)strlen(lit);
    if (len > litlen)
        return 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        if (lower[b[i]] != (unsigned char)lit[i])
            return 0;
    }
    return 1;
}

/* Membership of a name in a NULL-terminated list of lower-case literals. */
static int
in_list(const unsigned char *name, Py_ssize_t len, const char *const *list)
{
    for (; *list; list++) {
        if (eq_lower(name, len, *list, (Py_ssize_t)strlen(*list)))
            return 1;
    }
    return 0;
}

/* Tree-construction knowledge, the same sets as tokenizer.py. */
static const char *const RCDATA_NAMES[] = {"title", "textarea", NULL};
static const char *const RAWTEXT_NAMES[] = {"style", "xmp", "iframe", "noembed", "noframes", NULL};
static const char *const SVG_INTEGRATION[] = {"foreignobject", "desc", "title", NULL};
static const char *const MATH_INTEGRATION[] = {"mi", "mo", "mn", "ms", "mtext", NULL};
/* Start tags that break out of foreign content (13.2.6.5), <font> with attributes aside. */
static const char *const BREAKOUT[] = {
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
    "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing",
    "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike",
    "sub", "sup", "table", "tt", "u", "ul", "var", NULL};

/* ---------------------------------------------------------------------------------------
 * Scanner state
 * ------------------------------------------------------------------------------------- */

enum { ST_DATA, ST_RCDATA, ST_RAWTEXT, ST_SCRIPT, ST_PLAINTEXT, ST_CDATA };
static const char *const STATE_NAMES[] = {"data", "rcdata", "rawtext", "script", "plaintext",
                                          "cdata"};
enum { NS_HTML, NS_SVG, NS_MATH };

/* Frame names are always one of a fixed set of short names (svg, math and integration
 * points), so a small inline array is enough. */
#define FRAME_NAME_MAX 16

typedef struct {
    int kind; /* NS_SVG / NS_MATH for a foreign subtree, NS_HTML for an integration point */
    Py_ssize_t len;
    char name[FRAME_NAME_MAX];
    Py_ssize_t depth; /* nested elements of the same name inside the frame */
} Frame;

/* Below the innermost frames the stack is kept as runs of identical (foreign, integration
 * point) pairs: the stack alternates between the two kinds, and only the innermost frames
 * ever change, so 100k levels of <math><mi> are one run with a count (see _Frames in
 * tokenizer.py). `frames` holds the innermost 2-3 frames and is never empty while `runs`
 * is not. */
typedef struct {
    Frame pair[2];
    Py_ssize_t count;
} Run;

/* Sub-states of an unfinished tag (13.2.5.8 tag name to 13.2.5.38 unquoted value): where
 * the next buffer resumes the walk instead of rescanning from '<'. */
enum { W_TAG_NAME, W_BEFORE, W_NAME, W_AFTER, W_VALUE, W_DQ, W_SQ, W_UNQUOTED };

typedef struct {
    int sub;
    Py_ssize_t at;      /* where the walk stopped: resume here */
    Py_ssize_t name_at; /* W_NAME: where the attribute name began */
    int handler;        /* an attribute name starting with "on" was seen */
} Walk;

typedef struct {
    Py_ssize_t len;
    const char *name; /* borrowed from the bytes objects held in Scanner.watch_bytes */
} Watched;

typedef struct {
    PyObject_HEAD
    int state;
    int script_mode; /* 0 script data, 1 escaped, 2 double escaped */
    int scripting;
    char end_name[FRAME_NAME_MAX]; /* the "appropriate end tag" name; always a state tag */
    Py_ssize_t end_len;
    Frame *frames;
    Py_ssize_t nframes, frames_cap;
    Run *runs;
    Py_ssize_t nruns, runs_cap;
    /* unfinished constructs the next buffer resumes: an open comment being consumed
     * (1: ends at "--!?>", 2: bogus comment or DOCTYPE, ends at '>'), and an unfinished tag
     * whose '<' starts the next buffer (offsets in `walk` relative to that '<') */
    int skipping;
    int tag_pending;
    Walk walk;
    /* watch set */
    int every;                /* watch(None): every tag is emitted */
    PyObject *names;          /* the frozenset given to watch(), or NULL */
    PyObject *watch_bytes;    /* list of ASCII names as bytes, owning Watched.name */
    Watched *watched;
    Py_ssize_t nwatched;
    unsigned char first[256]; /* first[c]: some watched name starts with byte c */
    int handlers;             /* also emit start tags with an on* attribute */
    PyObject *marker;         /* lower-cased marker bytes, or NULL */
    unsigned long watch_gen;  /* bumped by watch() so iterators drop their marker cache */
    Py_ssize_t consumed;
    /* Python collaborators */
    PyObject *encoding;
    PyObject *token_type;
    PyObject *kind_start, *kind_end;
    PyObject *decode_name; /* callable(bytes) -> str for names that are not plain ASCII */
} Scanner;

typedef struct {
    PyObject_HEAD
    Scanner *scanner;
    PyObject *bufobj;
    const unsigned char *buf;
    Py_ssize_t n;
    Py_ssize_t pos;
    int final;
    int done;
    /* cache of the next marker occurrence at or after mk_from (mk_at == -1: none) */
    unsigned long mk_gen;
    Py_ssize_t mk_from, mk_at;
    /* cache of the next "-->" at or after close_from (close_at == -1: none) */
    Py_ssize_t close_from, close_at;
} ScanIter;

static PyTypeObject ScannerType;
static PyTypeObject ScanIterType;
static PyObject *empty_str;

/* ---------------------------------------------------------------------------------------
 * Searching helpers
 * ------------------------------------------------------------------------------------- */

/* Offset of the first "-->" in buf[from:n], or -1. */
static Py_ssize_t
find_comment_close(const unsigned char *buf, Py_ssize_t from, Py_ssize_t n)
{
    Py_ssize_t p = from;
    while (p + 3 <= n) {
        const unsigned char *d = memchr(buf + p, '-', (size_t)(n - p - 2));
        if (d == NULL)
            return -1;
        p = d - buf;
        if (buf[p + 1] == '-' && buf[p + 2] == '>')
            return p;
        p++;
    }
    return -1;
}

/* Offset of the first "]]>" in buf[from:n], or -1. */
static Py_ssize_t
find_cdata_end(const unsigned char *buf, Py_ssize_t from, Py_ssize_t n)
{
    Py_ssize_t p = from;
    while (p + 3 <= n) {
        const unsigned char *d = memchr(buf + p, ']', (size_t)(n - p - 2));
        if (d == NULL)
            return -1;
        p = d - buf;
        if (buf[p + 1] == ']' && buf[p + 2] == '>')
            return p;
        p++;
    }
    return -1;
}

/* Whether "<" (slash ? "/" : "") name terminator starts at lt: the "appropriate end tag" and
 * script double-escape probes. All bytes must be present, as a regular expression would need. */
static int
tag_probe(const unsigned char *buf, Py_ssize_t lt, Py_ssize_t n, int slash, const char *name,
          Py_ssize_t len)
{
    Py_ssize_t p = lt + 1;
    if (slash) {
        if (p >= n || buf[p] != '/')
            return 0;
        p++;
    }
    if (p + len >= n) /* the terminator byte must be there too */
        return 0;
    if (!eq_lower(buf + p, len, name, len))
        return 0;
    unsigned char t = buf[p + len];
    return (cls[t] & C_WS) || t == '/' || t == '>';
}

/* Case-insensitive search for a lower-case needle in buf[from:n]; -1 if absent. */
static Py_ssize_t
find_ci(const unsigned char *buf, Py_ssize_t from, Py_ssize_t n, const unsigned char *needle,
        Py_ssize_t len)
{
    if (len <= 0)
        return from <= n ? from : -1;
    unsigned char lo = needle[0];
    unsigned char up = (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - 32) : lo;
    Py_ssize_t last = n - len; /* last possible start */
    Py_ssize_t p = from;
    while (p <= last) {
        Py_ssize_t span = last - p + 1;
        const unsigned char *a = memchr(buf + p, lo, (size_t)span);
        const unsigned char *b = (up != lo) ? memchr(buf + p, up, (size_t)(a ? a - (buf + p) : span))
                                            : NULL;
        const unsigned char *hit = b ? b : a;
        if (hit == NULL)
            return -1;
        p = hit - buf;
        if (eq_lower(buf + p + 1, len - 1, (const char *)needle + 1, len - 1))
            return p;
        p++;
    }
    return -1;
}

/* ---------------------------------------------------------------------------------------
 * Tags: 13.2.5.6-13.2.5.40 (tag open, end tag open, tag name, the attribute states and
 * self-closing start tag). Only the end of the tag and the self-closing flag are computed;
 * names and values are left to Token.attrs.
 * ------------------------------------------------------------------------------------- */

/* Walk a tag from w->sub at w->at. Returns the offset of the closing '>', or -1 when the
 * input ends first: then w holds the sub-state to resume from at n. Every byte is accepted
 * by some state, so the only way not to reach '>' is the end of input. A '/' directly
 * before the '>' of the before-attribute-name run sets the self-closing flag; an attribute
 * name starting with "on" (ASCII case-insensitive) sets w->handler. */
static Py_ssize_t
walk_tag(const unsigned char *buf, Py_ssize_t n, Walk *w, int *self_closing)
{
    Py_ssize_t p = w->at;
    int sub = w->sub;
    for (;;) {
        switch (sub) {
        case W_TAG_NAME: /* tag name state: to whitespace, '/' or '>' */
            while (p < n && !(cls[buf[p]] & C_NAME_END))
                p++;
            if (p >= n)
                goto suspend;
            sub = W_BEFORE;
            break;
        case W_BEFORE:
            /* before/after attribute name, self-closing start tag: whitespace and '/' */
            while (p < n && (cls[buf[p]] & C_SEP))
                p++;
            if (p >= n)
                goto suspend;
            if (buf[p] == '>') {
                /* a '/' here is part of the run: names and the tag name never hold one, a
                 * value ending in '/' returns from W_UNQUOTED, a quoted one ends in a quote */
                *self_closing = p > 0 && buf[p - 1] == '/';
                return p;
            }
            /* attribute name state: the first byte may be '=' (a parse error that starts a
             * name with it) */
            w->name_at = p++;
            sub = W_NAME;
            break;
        case W_NAME: /* to whitespace, '/', '>' or '=' */
            while (p < n && !(cls[buf[p]] & C_NAME_END) && buf[p] != '=')
                p++;
            if (p >= n)
                goto suspend;
            if (w->name_at >= 0 && p - w->name_at >= 2 && lower[buf[w->name_at]] == 'o' &&
                lower[buf[w->name_at + 1]] == 'n')
                w->handler = 1;
            if (buf[p] == '=') {
                p++;
                sub = W_VALUE;
            }
            else {
                sub = (cls[buf[p]] & C_WS) ? W_AFTER : W_BEFORE;
            }
            break;
        case W_AFTER: /* after attribute name: whitespace, then '=' starts a value */
            while (p < n && (cls[buf[p]] & C_WS))
                p++;
            if (p >= n)
                goto suspend;
            if (buf[p] == '=') {
                p++;
                sub = W_VALUE;
            }
            else {
                sub = W_BEFORE;
            }
            break;
        case W_VALUE: /* before attribute value */
            while (p < n && (cls[buf[p]] & C_WS))
                p++;
            if (p >= n)
                goto suspend;
            if (buf[p] == '>') { /* missing attribute value: '>' ends the tag */
                *self_closing = 0;
                return p;
            }
            if (buf[p] == '"' || buf[p] == '\'') {
                sub = buf[p] == '"' ? W_DQ : W_SQ;
                p++;
            }
            else {
                sub = W_UNQUOTED;
            }
            break;
        case W_DQ:
        case W_SQ: { /* attribute value (double- or single-quoted): to the closing quote */
            const unsigned char *close =
                p < n ? memchr(buf + p, sub == W_DQ ? '"' : '\'', (size_t)(n - p)) : NULL;
            if (close == NULL) {
                p = n;
                goto suspend;
            }
            p = close - buf + 1;
            sub = W_BEFORE;
            break;
        }
        default: /* W_UNQUOTED: to whitespace or '>' */
            while (p < n && !(cls[buf[p]] & C_UQ_END))
                p++;
            if (p >= n)
                goto suspend;
            if (buf[p] == '>') {
                *self_closing = 0;
                return p;
            }
            sub = W_BEFORE;
            break;
        }
    }
suspend:
    w->sub = sub;
    w->at = n;
    return -1;
}

/* ---------------------------------------------------------------------------------------
 * Watch set and marker
 * ------------------------------------------------------------------------------------- */

static void
clear_watch(Scanner *s)
{
    PyMem_Free(s->watched);
    s->watched = NULL;
    s->nwatched = 0;
    memset(s->first, 0, sizeof(s->first));
    Py_CLEAR(s->names);
    Py_CLEAR(s->watch_bytes);
    Py_CLEAR(s->marker);
}

static PyObject *
Scanner_watch(Scanner *s, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"names", "marker", "event_handlers", NULL};
    PyObject *names = Py_None, *marker = Py_None;
    int handlers = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|$Op:watch", kwlist, &names, &marker,
                                     &handlers))
        return NULL;
    if (marker != Py_None && !PyBytes_Check(marker)) {
        PyErr_SetString(PyExc_TypeError, "marker must be bytes or None");
        return NULL;
    }
    PyObject *set = NULL, *list = NULL, *lowered = NULL;
    Watched *watched = NULL;
    Py_ssize_t count = 0;
    if (names != Py_None) {
        set = PyFrozenSet_New(names);
        if (set == NULL)
            goto fail;
        list = PyList_New(0);
        if (list == NULL)
            goto fail;
        Py_ssize_t size = PySet_GET_SIZE(set);
        watched = PyMem_Calloc((size_t)(size ? size : 1), sizeof(Watched));
        if (watched == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        PyObject *it = PyObject_GetIter(set);
        if (it == NULL)
            goto fail;
        PyObject *item;
        while ((item = PyIter_Next(it)) != NULL) {
            /* Only ASCII names take the byte-level fast path; token names are compared with
             * the set itself when they are not plain ASCII. Empty names match nothing. */
            if (PyUnicode_Check(item) && PyUnicode_IS_ASCII(item) &&
                PyUnicode_GET_LENGTH(item) > 0) {
                PyObject *b = PyUnicode_AsASCIIString(item);
                if (b == NULL || PyList_Append(list, b) < 0) {
                    Py_XDECREF(b);
                    Py_DECREF(item);
                    Py_DECREF(it);
                    goto fail;
                }
                watched[count].name = PyBytes_AS_STRING(b);
                watched[count].len = PyBytes_GET_SIZE(b);
                count++;
                Py_DECREF(b); /* the list keeps it alive */
            }
            Py_DECREF(item);
        }
        Py_DECREF(it);
        if (PyErr_Occurred())
            goto fail;
    }
    if (marker != Py_None && PyBytes_GET_SIZE(marker) > 0) {
        Py_ssize_t len = PyBytes_GET_SIZE(marker);
        lowered = PyBytes_FromStringAndSize(NULL, len);
        if (lowered == NULL)
            goto fail;
        const unsigned char *src = (const unsigned char *)PyBytes_AS_STRING(marker);
        unsigned char *dst = (unsigned char *)PyBytes_AS_STRING(lowered);
        for (Py_ssize_t i = 0; i < len; i++)
            dst[i] = lower[src[i]];
    }
    clear_watch(s);
    s->every = names == Py_None;
    s->names = set;
    s->watch_bytes = list;
    s->watched = watched;
    s->nwatched = count;
    for (Py_ssize_t i = 0; i < count; i++)
        s->first[(unsigned char)watched[i].name[0]] = 1;
    s->marker = lowered;
    s->handlers = handlers;
    s->watch_gen++;
    Py_RETURN_NONE;
fail:
    Py_XDECREF(set);
    Py_XDECREF(list);
    Py_XDECREF(lowered);
    PyMem_Free(watched);
    return NULL;
}

/* Whether a lower-cased ASCII token name is in the watch set (exact, case-sensitive match
 * with the set's str names, as Python's `name in names` is). */
static int
watched_ascii(Scanner *s, const unsigned char *lname, Py_ssize_t len)
{
    if (len == 0 || !s->first[lname[0]])
        return 0;
    for (Py_ssize_t i = 0; i < s->nwatched; i++) {
        if (s->watched[i].len == len && memcmp(s->watched[i].name, lname, (size_t)len) == 0)
            return 1;
    }
    return 0;
}

/* Whether buf[lt:end] holds the marker, case-insensitively. The next occurrence is cached
 * per buffer, so the search runs over each buffer about once. */
static int
has_marker(ScanIter *it, Py_ssize_t lt, Py_ssize_t end)
{
    Scanner *s = it->scanner;
    const unsigned char *m = (const unsigned char *)PyBytes_AS_STRING(s->marker);
    Py_ssize_t mlen = PyBytes_GET_SIZE(s->marker);
    if (it->mk_gen != s->watch_gen || lt < it->mk_from ||
        (it->mk_at >= 0 && it->mk_at < lt)) {
        it->mk_gen = s->watch_gen;
        it->mk_from = lt;
        it->mk_at = find_ci(it->buf, lt, it->n, m, mlen);
    }
    return it->mk_at >= 0 && it->mk_at + mlen <= end;
}

/* ---------------------------------------------------------------------------------------
 * Token construction
 * ------------------------------------------------------------------------------------- */

typedef struct {
    Py_ssize_t lt, end;       /* the tag is buf[lt:end] */
    Py_ssize_t name_at, name_len;
    int start_tag;
    int plain;                /* the name is ASCII without NUL: lname holds it lower-cased */
    int self_closing;
    int foreign;              /* the tree was in foreign content before this tag */
    unsigned char lname[FRAME_NAME_MAX]; /* first bytes of the lower-cased name */
    PyObject *token;          /* built on demand */
} Tag;

/* The tag's name as the Python tokenizer spells it: ASCII-lowered, decoded. */
static PyObject *
tag_name(ScanIter *it, Tag *tag)
{
    const unsigned char *src = it->buf + tag->name_at;
    if (tag->plain) {
        PyObject *str = PyUnicode_New(tag->name_len, 127);
        if (str == NULL)
            return NULL;
        Py_UCS1 *dst = PyUnicode_1BYTE_DATA(str);
        for (Py_ssize_t i = 0; i < tag->name_len; i++)
            dst[i] = lower[src[i]];
        return str;
    }
    PyObject *raw = PyBytes_FromStringAndSize((const char *)src, tag->name_len);
    if (raw == NULL)
        return NULL;
    PyObject *str = PyObject_CallOneArg(it->scanner->decode_name, raw);
    Py_DECREF(raw);
    if (str != NULL && !PyUnicode_Check(str)) {
        Py_DECREF(str);
        PyErr_SetString(PyExc_TypeError, "decode_name must return str");
        return NULL;
    }
    return str;
}

/* Build (once) the Python Token for a tag. */
static PyObject *
tag_token(ScanIter *it, Tag *tag)
{
    if (tag->token != NULL)
        return tag->token;
    Scanner *s = it->scanner;
    PyObject *name = tag_name(it, tag);
    if (name == NULL)
        return NULL;
    PyObject *raw = PyBytes_FromStringAndSize((const char *)it->buf + tag->lt, tag->end - tag->lt);
    PyObject *start = PyLong_FromSsize_t(tag->lt);
    PyObject *end = PyLong_FromSsize_t(tag->end);
    if (raw == NULL || start == NULL || end == NULL) {
        Py_DECREF(name);
        Py_XDECREF(raw);
        Py_XDECREF(start);
        Py_XDECREF(end);
        return NULL;
    }
    PyObject *args[8] = {tag->start_tag ? s->kind_start : s->kind_end, start, end, name, raw,
                         empty_str, s->encoding, tag->foreign ? Py_True : Py_False};
    tag->token = PyObject_Vectorcall(s->token_type, args, 8, NULL);
    Py_DECREF(name);
    Py_DECREF(raw);
    Py_DECREF(start);
    Py_DECREF(end);
    return tag->token;
}

/* Whether the tag's parsed attributes hold any of the given names (Python's Token.attrs). */
static int
token_has_attr(ScanIter *it, Tag *tag, const char *const *names, PyObject **value_of_first)
{
    PyObject *token = tag_token(it, tag);
    if (token == NULL)
        return -1;
    PyObject *attrs = PyObject_GetAttrString(token, "attrs");
    if (attrs == NULL)
        return -1;
    int found = 0;
    for (; *names && !found; names++) {
        PyObject *value = PyMapping_GetItemString(attrs, *names);
        if (value == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_KeyError)) {
                Py_DECREF(attrs);
                return -1;
            }
            PyErr_Clear();
            continue;
        }
        found = 1;
        if (value_of_first != NULL)
            *value_of_first = value;
        else
            Py_DECREF(value);
    }
    Py_DECREF(attrs);
    return found;
}

/* ---------------------------------------------------------------------------------------
 * Tree-construction effects: the little of 13.2.6 the tokenizer must know, ported from
 * Tokenizer._after_start_tag and friends in tokenizer.py (see its docstring for the
 * approximations, which are shared).
 * ------------------------------------------------------------------------------------- */

static int
frames_reserve(Scanner *s, Py_ssize_t need)
{
    if (need <= s->frames_cap)
        return 0;
    Py_ssize_t cap = s->frames_cap ? s->frames_cap * 2 : 8;
    while (cap < need)
        cap *= 2;
    Frame *grown = PyMem_Realloc(s->frames, (size_t)cap * sizeof(Frame));
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    s->frames = grown;
    s->frames_cap = cap;
    return 0;
}

static int
frame_eq(const Frame *a, const Frame *b)
{
    return a->kind == b->kind && a->len == b->len && a->depth == b->depth &&
           memcmp(a->name, b->name, (size_t)a->len) == 0;
}

/* Whether the innermost frame is a foreign subtree (not an integration point). */
static int
in_foreign(const Scanner *s)
{
    return s->nframes > 0 && s->frames[s->nframes - 1].kind != NS_HTML;
}

/* Take the innermost pair out of the runs and put it under the innermost frames. */
static int
unpack_run(Scanner *s)
{
    if (s->nruns <= 0 || frames_reserve(s, s->nframes + 2) < 0)
        return -1;
    Run *run = &s->runs[s->nruns - 1];
    memmove(s->frames + 2, s->frames, (size_t)s->nframes * sizeof(Frame));
    s->frames[0] = run->pair[0];
    s->frames[1] = run->pair[1];
    s->nframes += 2;
    if (--run->count == 0)
        s->nruns--;
    return 0;
}

/* Keep `frames` non-empty while runs remain. Unpacking may need memory: on failure the
 * error is set and the caller reports it. */
static int
settle(Scanner *s)
{
    if (s->nframes == 0 && s->nruns > 0)
        return unpack_run(s);
    return 0;
}

static int
push_frame(Scanner *s, int kind, const unsigned char *name, Py_ssize_t len)
{
    if (len >= FRAME_NAME_MAX) /* cannot happen: frame names come from fixed short lists */
        return 0;
    if (frames_reserve(s, s->nframes + 1) < 0)
        return -1;
    Frame *f = &s->frames[s->nframes++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->len = len;
    memcpy(f->name, name, (size_t)len);
    f->depth = 1;
    if (s->nframes >= 4) {
        /* the outer pair can no longer change until it is innermost again: into the runs */
        if (s->nruns > 0 && frame_eq(&s->runs[s->nruns - 1].pair[0], &s->frames[0]) &&
            frame_eq(&s->runs[s->nruns - 1].pair[1], &s->frames[1])) {
            s->runs[s->nruns - 1].count++;
        }
        else {
            if (s->nruns == s->runs_cap) {
                Py_ssize_t cap = s->runs_cap ? s->runs_cap * 2 : 8;
                Run *grown = PyMem_Realloc(s->runs, (size_t)cap * sizeof(Run));
                if (grown == NULL) {
                    PyErr_NoMemory();
                    return -1;
                }
                s->runs = grown;
                s->runs_cap = cap;
            }
            Run *run = &s->runs[s->nruns++];
            run->pair[0] = s->frames[0];
            run->pair[1] = s->frames[1];
            run->count = 1;
        }
        s->nframes -= 2;
        memmove(s->frames, s->frames + 2, (size_t)s->nframes * sizeof(Frame));
    }
    return 0;
}

static int
frame_is(const Frame *f, const Tag *tag)
{
    return tag->plain && f->len == tag->name_len && memcmp(f->name, tag->lname, (size_t)f->len) == 0;
}

/* Pop foreign frames up to the innermost integration point (or all of them). */
static int
break_out(Scanner *s)
{
    while (in_foreign(s)) {
        s->nframes--;
        if (settle(s) < 0)
            return -1;
    }
    return 0;
}

/* Close frames[index]: one nesting level of the innermost frame, else the frame. */
static int
close_frame(Scanner *s, Py_ssize_t index)
{
    if (index == s->nframes - 1 && s->frames[index].depth > 1) {
        s->frames[index].depth--;
        return 0;
    }
    s->nframes = index;
    return settle(s);
}

/* Close the innermost frame named as the tag, and every frame inside it. */
static int
close_named(Scanner *s, const Tag *tag)
{
    for (Py_ssize_t i = s->nframes - 1; i >= 0; i--) {
        if (frame_is(&s->frames[i], tag))
            return close_frame(s, i);
    }
    for (Py_ssize_t r = s->nruns - 1; r >= 0; r--) {
        for (int k = 1; k >= 0; k--) {
            if (frame_is(&s->runs[r].pair[k], tag)) {
                s->nruns = r + 1;
                s->nframes = 0;
                if (unpack_run(s) < 0)
                    return -1;
                s->nframes = k; /* keep the frames outside the one closed */
                return settle(s);
            }
        }
    }
    return 0;
}

static void
enter(Scanner *s, int state, const Tag *tag)
{
    s->state = state;
    s->end_len = tag->name_len;
    memcpy(s->end_name, tag->lname, (size_t)tag->name_len);
}

/* Tag-name predicates; names longer than FRAME_NAME_MAX-1 or not plain match none. */
static int
name_is(const Tag *tag, const char *lit)
{
    return tag->plain && eq_lower(tag->lname, tag->name_len, lit, (Py_ssize_t)strlen(lit));
}

static int
name_in(const Tag *tag, const char *const *list)
{
    return tag->plain && tag->name_len < FRAME_NAME_MAX && in_list(tag->lname, tag->name_len, list);
}

static const char *const FONT_ATTRS[] = {"color", "face", "size", NULL};
static const char *const ENCODING_ATTR[] = {"encoding", NULL};

/* Whether a start tag in a foreign frame opens an HTML integration point (13.2.6.5). */
static int
is_integration_point(ScanIter *it, int kind, Tag *tag)
{
    if (kind == NS_SVG)
        return name_in(tag, SVG_INTEGRATION);
    if (name_in(tag, MATH_INTEGRATION))
        return 1;
    if (!name_is(tag, "annotation-xml"))
        return 0;
    PyObject *value = NULL;
    int found = token_has_attr(it, tag, ENCODING_ATTR, &value);
    if (found <= 0)
        return found;
    int result = 0;
    if (PyUnicode_Check(value)) {
        /* ASCII case-insensitive, as the spec's "ASCII case-insensitive match" */
        PyObject *bytes = PyUnicode_AsUTF8String(value);
        if (bytes == NULL) {
            Py_DECREF(value);
            return -1;
        }
        const unsigned char *v = (const unsigned char *)PyBytes_AS_STRING(bytes);
        Py_ssize_t len = PyBytes_GET_SIZE(bytes);
        result = eq_lower(v, len, "text/html", 9) || eq_lower(v, len, "application/xhtml+xml", 21);
        Py_DECREF(bytes);
    }
    Py_DECREF(value);
    return result;
}

/* A start tag inside foreign content; returns 1 when it breaks out to HTML, -1 on error. */
static int
foreign_start(ScanIter *it, Tag *tag)
{
    Scanner *s = it->scanner;
    int breakout = name_in(tag, BREAKOUT);
    if (!breakout && name_is(tag, "font")) {
        breakout = token_has_attr(it, tag, FONT_ATTRS, NULL);
        if (breakout < 0)
            return -1;
    }
    if (breakout)
        return break_out(s) < 0 ? -1 : 1;
    if (tag->self_closing || s->nframes == 0)
        return 0;
    Frame *frame = &s->frames[s->nframes - 1];
    if (frame_is(frame, tag)) {
        frame->depth++;
        return 0;
    }
    int kind = frame->kind;
    int point = is_integration_point(it, kind, tag);
    if (point < 0)
        return -1;
    if (point && push_frame(s, NS_HTML, tag->lname, tag->name_len) < 0)
        return -1;
    return 0;
}

static int
after_start_tag(ScanIter *it, Tag *tag)
{
    Scanner *s = it->scanner;
    if (in_foreign(s)) {
        int r = foreign_start(it, tag);
        if (r <= 0)
            return r;
    }
    if (name_is(tag, "svg") || name_is(tag, "math")) {
        if (!tag->self_closing)
            return push_frame(s, tag->lname[0] == 's' ? NS_SVG : NS_MATH, tag->lname,
                              tag->name_len);
    }
    else if (name_is(tag, "script")) {
        enter(s, ST_SCRIPT, tag);
        s->script_mode = 0;
    }
    else if (name_in(tag, RCDATA_NAMES)) {
        enter(s, ST_RCDATA, tag);
    }
    else if (name_in(tag, RAWTEXT_NAMES) || (s->scripting && name_is(tag, "noscript"))) {
        enter(s, ST_RAWTEXT, tag);
    }
    else if (name_is(tag, "plaintext")) {
        enter(s, ST_PLAINTEXT, tag);
    }
    else if (s->nframes > 0 && frame_is(&s->frames[s->nframes - 1], tag) && !tag->self_closing) {
        s->frames[s->nframes - 1].depth++;
    }
    return 0;
}

static int
after_end_tag(Scanner *s, const Tag *tag)
{
    if (s->nframes == 0)
        return 0;
    Frame *top = &s->frames[s->nframes - 1];
    if (top->kind == NS_HTML)
        return frame_is(top, tag) ? close_frame(s, s->nframes - 1) : 0;
    if (name_is(tag, "br") || name_is(tag, "p"))
        return break_out(s);
    return close_named(s, tag);
}

/* ---------------------------------------------------------------------------------------
 * Markup in data state: 13.2.5.1 data, 13.2.5.6 tag open, 13.2.5.7 end tag open,
 * 13.2.5.41 bogus comment, 13.2.5.42 markup declaration open, the comment states
 * (13.2.5.43-52), DOCTYPE (only its end matters here) and the CDATA section (13.2.5.69).
 * ------------------------------------------------------------------------------------- */

/* M_STREAM: an unfinished comment is being consumed; Scanner.consumed is already set. */
enum { M_TEXT, M_INCOMPLETE, M_DONE, M_ERROR, M_STREAM };

static void finish(ScanIter *it, Py_ssize_t consumed);

/* Where to stop consuming an open comment: before a tail that may begin "--!>". */
static Py_ssize_t
comment_hold(const unsigned char *buf, Py_ssize_t pos, Py_ssize_t n)
{
    if (n - 3 >= pos && buf[n - 3] == '-' && buf[n - 2] == '-' && buf[n - 1] == '!')
        return n - 3;
    if (n - 2 >= pos && buf[n - 2] == '-' && buf[n - 1] == '-')
        return n - 2;
    if (n - 1 >= pos && buf[n - 1] == '-')
        return n - 1;
    return n;
}

/* Consume an unfinished comment as it streams: nothing of it is held, so a long comment
 * costs what text costs. kind 1 ends at "--!?>", kind 2 (bogus comment, DOCTYPE) at '>'. */
static int
stream_comment(ScanIter *it, int kind, Py_ssize_t hold)
{
    it->scanner->skipping = kind;
    finish(it, hold);
    return M_STREAM;
}

/* First "--!?>" in buf[from:n]: the offset after it, or -1. */
static Py_ssize_t
find_comment_end(const unsigned char *buf, Py_ssize_t from, Py_ssize_t n)
{
    Py_ssize_t p = from;
    while (p + 3 <= n) {
        const unsigned char *d = memchr(buf + p, '-', (size_t)(n - p - 2));
        if (d == NULL)
            break;
        p = d - buf;
        if (buf[p + 1] == '-') {
            if (buf[p + 2] == '>')
                return p + 3;
            if (buf[p + 2] == '!' && p + 3 < n && buf[p + 3] == '>')
                return p + 4;
        }
        p++;
    }
    return -1;
}

/* A complete tag at lt: tree effects, then the token when the consumer wants it. */
static int
scan_tag(ScanIter *it, Py_ssize_t lt, Py_ssize_t *end, PyObject **out)
{
    Scanner *s = it->scanner;
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    Tag tag;
    memset(&tag, 0, sizeof(tag));
    tag.lt = lt;
    tag.start_tag = buf[lt + 1] != '/';
    Py_ssize_t p = lt + (tag.start_tag ? 1 : 2); /* buf[p] is a letter: checked by callers */
    tag.name_at = p;
    /* An unfinished tag of the last buffer starts this one (consumed stopped at its '<'):
     * resume its walk where it stopped, so a long tag is walked once, not once a chunk. */
    Walk walk = {W_TAG_NAME, p, -1, 0};
    if (s->tag_pending && lt == 0 && s->walk.at <= n && s->walk.name_at <= s->walk.at)
        walk = s->walk;
    s->tag_pending = 0;
    Py_ssize_t gt = walk_tag(buf, n, &walk, &tag.self_closing);
    if (gt < 0) {
        /* EOF in a tag: at the very end the tag is dropped (13.2.5.8 "eof-in-tag"), else
         * wait for more input. */
        if (!it->final) {
            walk.at -= lt; /* offsets from the '<', which starts the next buffer */
            if (walk.name_at >= 0)
                walk.name_at -= lt;
            s->walk = walk;
            s->tag_pending = 1;
            return M_INCOMPLETE;
        }
        *end = n;
        return M_DONE;
    }
    tag.end = *end = gt + 1;
    tag.foreign = in_foreign(s);
    /* tag name state: to whitespace, '/' or '>' (present: the tag is complete) */
    tag.plain = 1;
    while (p < gt && !(cls[buf[p]] & C_NAME_END)) {
        if (buf[p] == 0 || buf[p] >= 0x80)
            tag.plain = 0;
        p++;
    }
    tag.name_len = p - tag.name_at;
    /* only short plain names can match the fixed sets or a frame */
    if (tag.name_len < FRAME_NAME_MAX) {
        for (Py_ssize_t i = 0; i < tag.name_len; i++)
            tag.lname[i] = lower[buf[tag.name_at + i]];
    }
    else {
        tag.plain = tag.plain ? 2 : 0; /* plain, but too long for lname */
    }
    int r = 0;
    if (tag.start_tag)
        r = after_start_tag(it, &tag);
    else
        r = after_end_tag(s, &tag);
    if (r < 0)
        goto error;
    /* does the consumer want it? */
    int wants = s->every;
    if (!wants) {
        if (tag.plain == 1) {
            wants = watched_ascii(s, tag.lname, tag.name_len);
        }
        else if (tag.plain == 2) {
            /* long ASCII name: compare lower-cased bytes with every watched name */
            for (Py_ssize_t i = 0; i < s->nwatched && !wants; i++) {
                wants = s->watched[i].len == tag.name_len &&
                        eq_lower(buf + tag.name_at, tag.name_len, s->watched[i].name,
                                 tag.name_len);
            }
        }
        else if (s->names != NULL && PySet_GET_SIZE(s->names) > s->nwatched) {
            /* non-ASCII names can only equal non-ASCII entries of the watch set */
            PyObject *name = tag_name(it, &tag);
            if (name == NULL)
                goto error;
            wants = PySet_Contains(s->names, name);
            Py_DECREF(name);
            if (wants < 0)
                goto error;
        }
    }
    if (!wants && tag.start_tag && s->marker != NULL)
        wants = has_marker(it, lt, tag.end);
    if (!wants && tag.start_tag && s->handlers)
        wants = walk.handler;
    if (wants) {
        if (tag_token(it, &tag) == NULL)
            goto error;
        *out = tag.token;
        return M_DONE;
    }
    Py_XDECREF(tag.token);
    return M_DONE;
error:
    Py_XDECREF(tag.token);
    return M_ERROR;
}

/* Bogus comment from data_start to the next '>'. */
static int
scan_bogus(ScanIter *it, Py_ssize_t data_start, Py_ssize_t *end)
{
    Py_ssize_t n = it->n;
    const unsigned char *gt = data_start < n ? memchr(it->buf + data_start, '>',
                                                      (size_t)(n - data_start))
                                             : NULL;
    if (gt == NULL) {
        if (!it->final)
            return stream_comment(it, 2, n);
        *end = n;
        return M_DONE;
    }
    *end = gt - it->buf + 1;
    return M_DONE;
}

/* "<!--": "<!-->" and "<!--->" end at once (abrupt closing), else the first "--!?>". */
static int
scan_comment(ScanIter *it, Py_ssize_t lt, Py_ssize_t *end)
{
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    Py_ssize_t body = lt + 4;
    if (body < n && buf[body] == '>') {
        *end = body + 1;
        return M_DONE;
    }
    if (body + 1 < n && buf[body] == '-' && buf[body + 1] == '>') {
        *end = body + 2;
        return M_DONE;
    }
    Py_ssize_t found = find_comment_end(buf, body, n);
    if (found >= 0) {
        *end = found;
        return M_DONE;
    }
    if (!it->final) {
        if (n - body < 2) /* "<!-->" and "<!--->" are still possible */
            return M_INCOMPLETE;
        return stream_comment(it, 1, comment_hold(buf, body, n));
    }
    *end = n;
    return M_DONE;
}

/* 13.2.5.42 markup declaration open: comment, DOCTYPE, CDATA (foreign content only) or
 * bogus comment. */
static int
scan_declaration(ScanIter *it, Py_ssize_t lt, Py_ssize_t *end)
{
    Scanner *s = it->scanner;
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    const unsigned char *head = buf + lt + 2;
    Py_ssize_t hlen = n - (lt + 2);
    if (hlen > 7)
        hlen = 7;
    if (hlen >= 2 && head[0] == '-' && head[1] == '-')
        return scan_comment(it, lt, end);
    if (hlen == 7 && eq_lower(head, 7, "doctype", 7))
        return scan_bogus(it, lt + 9, end); /* the DOCTYPE ends at the next '>' */
    if (hlen == 7 && memcmp(head, "[CDATA[", 7) == 0 && s->nframes > 0 &&
        s->frames[s->nframes - 1].kind != NS_HTML) {
        s->state = ST_CDATA;
        *end = lt + 9;
        return M_DONE;
    }
    if (!it->final && hlen < 7) {
        /* a prefix of "--", "DOCTYPE" or "[CDATA[" may still become one */
        int dash = hlen == 0 || (hlen == 1 && head[0] == '-');
        int doctype = 1, cdata = 1;
        for (Py_ssize_t i = 0; i < hlen; i++) {
            if (lower[head[i]] != (unsigned char)"doctype"[i])
                doctype = 0;
            if (head[i] != (unsigned char)"[CDATA["[i])
                cdata = 0;
        }
        if (dash || doctype || cdata)
            return M_INCOMPLETE;
    }
    return scan_bogus(it, lt + 2, end);
}

/* Classify the '<' at lt (13.2.5.6 tag open state). */
static int
scan_markup(ScanIter *it, Py_ssize_t lt, Py_ssize_t *end, PyObject **out)
{
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    if (lt + 2 > n)
        return it->final ? M_TEXT : M_INCOMPLETE;
    unsigned char second = buf[lt + 1];
    if (cls[second] & C_ALPHA)
        return scan_tag(it, lt, end, out);
    if (second == '/') {
        /* 13.2.5.7 end tag open */
        if (lt + 3 > n)
            return it->final ? M_TEXT : M_INCOMPLETE;
        unsigned char third = buf[lt + 2];
        if (cls[third] & C_ALPHA)
            return scan_tag(it, lt, end, out);
        if (third == '>') {
            *end = lt + 3; /* "</>" is dropped */
            return M_DONE;
        }
        return scan_bogus(it, lt + 2, end);
    }
    if (second == '!')
        return scan_declaration(it, lt, end);
    if (second == '?')
        return scan_bogus(it, lt + 1, end);
    return M_TEXT;
}

/* ---------------------------------------------------------------------------------------
 * The states. Each returns 0 to go on (it->pos updated, maybe a token in *out), -1 on error;
 * finishing the buffer sets it->done and Scanner.consumed.
 * ------------------------------------------------------------------------------------- */

static void
finish(ScanIter *it, Py_ssize_t consumed)
{
    it->scanner->consumed = consumed;
    it->done = 1;
}

/* 13.2.5.1 data state: jump from '<' to '<' with memchr; text itself needs no work. */
static int
run_data(ScanIter *it, PyObject **out)
{
    Scanner *s = it->scanner;
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    Py_ssize_t pos = it->pos;
    if (s->skipping) {
        /* an open comment of the last buffer goes on here */
        Py_ssize_t close = -1;
        if (s->skipping == 1) {
            close = find_comment_end(buf, pos, n);
        }
        else {
            const unsigned char *gt = pos < n ? memchr(buf + pos, '>', (size_t)(n - pos)) : NULL;
            close = gt != NULL ? gt - buf + 1 : -1;
        }
        if (close < 0) {
            Py_ssize_t hold = n;
            if (it->final)
                s->skipping = 0;
            else if (s->skipping == 1)
                hold = comment_hold(buf, pos, n);
            finish(it, hold);
            return 0;
        }
        s->skipping = 0;
        it->pos = pos = close;
    }
    for (;;) {
        const unsigned char *found = pos < n ? memchr(buf + pos, '<', (size_t)(n - pos)) : NULL;
        if (found == NULL) {
            finish(it, n);
            return 0;
        }
        Py_ssize_t lt = found - buf, end = 0;
        switch (scan_markup(it, lt, &end, out)) {
        case M_ERROR:
            return -1;
        case M_INCOMPLETE:
            finish(it, lt);
            return 0;
        case M_STREAM:
            return 0;
        case M_TEXT:
            pos = lt + 1;
            continue;
        default:
            break;
        }
        it->pos = pos = end;
        if (*out != NULL || s->state != ST_DATA)
            return 0;
    }
}

/* Offset of a trailing '<' that the next chunk may turn into "</name", "</script",
 * "<name", "<script" (script only) or "<!--" (script only); else n. */
static Py_ssize_t
partial_end(ScanIter *it, Py_ssize_t pos, int script)
{
    Scanner *s = it->scanner;
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    Py_ssize_t lo = n - s->end_len - 9;
    if (lo < pos)
        lo = pos;
    Py_ssize_t lt = -1;
    for (Py_ssize_t i = n - 1; i >= lo; i--) {
        if (buf[i] == '<') {
            lt = i;
            break;
        }
    }
    if (lt < 0)
        return n;
    const unsigned char *tail = buf + lt;
    Py_ssize_t len = n - lt;
    char candidate[FRAME_NAME_MAX + 2];
    const char *prefixes[2] = {"</", "<"};
    for (int k = 0; k < (script ? 2 : 1); k++) {
        size_t plen = strlen(prefixes[k]);
        memcpy(candidate, prefixes[k], plen);
        memcpy(candidate + plen, s->end_name, (size_t)s->end_len);
        candidate[plen + (size_t)s->end_len] = '\0';
        if (is_prefix_lower(tail, len, candidate))
            return lt;
        if (is_prefix_lower(tail, len, k == 0 ? "</script" : "<script"))
            return lt;
    }
    if (script && is_prefix_lower(tail, len, "<!--"))
        return lt;
    return n;
}

/* Count of `byte` ending buf[pos:end], at most limit. */
static Py_ssize_t
trailing(const unsigned char *buf, Py_ssize_t pos, Py_ssize_t end, unsigned char byte, int limit)
{
    Py_ssize_t count = 0;
    while (count < limit && end - count > pos && buf[end - count - 1] == byte)
        count++;
    return count;
}

/* The appropriate end tag at lt ends RCDATA, RAWTEXT or script data: back to data state. */
static int
close_raw(ScanIter *it, Py_ssize_t lt, PyObject **out)
{
    Py_ssize_t end = 0;
    int r = scan_tag(it, lt, &end, out);
    if (r == M_ERROR)
        return -1;
    if (r == M_INCOMPLETE) {
        finish(it, lt);
        return 0;
    }
    it->scanner->state = ST_DATA;
    it->pos = end;
    return 0;
}

/* Next "</" + end name + terminator in buf[from:n], or -1. */
static Py_ssize_t
find_end_tag(ScanIter *it, Py_ssize_t from)
{
    Scanner *s = it->scanner;
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    Py_ssize_t p = from;
    while (p < n) {
        const unsigned char *d = memchr(buf + p, '<', (size_t)(n - p));
        if (d == NULL)
            return -1;
        p = d - buf;
        if (tag_probe(buf, p, n, 1, s->end_name, s->end_len))
            return p;
        p++;
    }
    return -1;
}

/* 13.2.5.2 RCDATA and 13.2.5.3 RAWTEXT: text until the appropriate end tag. */
static int
run_raw(ScanIter *it, PyObject **out)
{
    Py_ssize_t lt = find_end_tag(it, it->pos);
    if (lt < 0) {
        finish(it, it->final ? it->n : partial_end(it, it->pos, 0));
        return 0;
    }
    return close_raw(it, lt, out);
}

/* 13.2.5.69 CDATA section: to "]]>". */
static int
run_cdata(ScanIter *it)
{
    Py_ssize_t found = find_cdata_end(it->buf, it->pos, it->n);
    if (found < 0) {
        Py_ssize_t hold = it->n;
        if (!it->final)
            hold -= trailing(it->buf, it->pos, hold, ']', 2); /* "]]" may start "]]>" */
        finish(it, hold);
        return 0;
    }
    it->scanner->state = ST_DATA;
    it->pos = found + 3;
    return 0;
}

/* Cached "-->" search: positions only grow within a buffer, so each byte is searched once. */
static Py_ssize_t
next_close(ScanIter *it, Py_ssize_t from)
{
    if (from < it->close_from || (it->close_at >= 0 && it->close_at < from) ||
        it->close_from < 0) {
        it->close_from = from;
        it->close_at = find_comment_close(it->buf, from, it->n);
    }
    return it->close_at;
}

/* Script data (13.2.5.4) with its escaped (13.2.5.20-25) and double-escaped (13.2.5.26-32)
 * sub-states, reduced to the constructs that move between them:
 *   mode 0: "</script" end tag, or "<!--" -> escaped;
 *   mode 1: end tag, "-->" -> script data, "<script"+terminator -> double escaped;
 *   mode 2: "-->" -> script data, "</script"+terminator -> escaped. */
static int
run_script(ScanIter *it, PyObject **out)
{
    Scanner *s = it->scanner;
    const unsigned char *buf = it->buf;
    Py_ssize_t n = it->n;
    Py_ssize_t pos = it->pos;
    for (;;) {
        int mode = s->script_mode;
        Py_ssize_t close = mode ? next_close(it, pos) : -1;
        Py_ssize_t limit = close >= 0 ? close : n; /* a '<' construct must come before it */
        Py_ssize_t lt = -1;
        int what = 0; /* 1 end tag, 2 "<!--", 3 "<script", 4 "</script" */
        Py_ssize_t p = pos;
        while (p < limit) {
            const unsigned char *d = memchr(buf + p, '<', (size_t)(limit - p));
            if (d == NULL)
                break;
            p = d - buf;
            if (mode != 2 && tag_probe(buf, p, n, 1, s->end_name, s->end_len))
                what = 1;
            else if (mode == 0 && p + 4 <= n && memcmp(buf + p, "<!--", 4) == 0)
                what = 2;
            else if (mode == 1 && tag_probe(buf, p, n, 0, "script", 6))
                what = 3;
            else if (mode == 2 && tag_probe(buf, p, n, 1, "script", 6))
                what = 4;
            if (what) {
                lt = p;
                break;
            }
            p++;
        }
        if (what == 1)
            return close_raw(it, lt, out);
        if (what == 2) {
            s->script_mode = 1;
            pos = lt + 2; /* the "--" may also be the start of "-->" */
        }
        else if (what == 3) {
            s->script_mode = 2;
            pos = lt + 8;
        }
        else if (what == 4) {
            s->script_mode = 1;
            pos = lt + 9;
        }
        else if (close >= 0) {
            s->script_mode = 0;
            pos = close + 3;
        }
        else {
            break;
        }
        it->pos = pos;
    }
    Py_ssize_t hold = n;
    if (!it->final) {
        hold = partial_end(it, pos, 1);
        if (s->script_mode && hold == n)
            hold -= trailing(buf, pos, hold, '-', 2); /* "--" may start "-->" */
    }
    finish(it, hold);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Attribute parsing for Token.attrs (13.2.5.32-13.2.5.40), the native twin of
 * Token._parse_attrs_python: same grammar walk, same decoding. Plain values (no '&', CR or
 * NUL) are decoded here; the others, and names that are not plain ASCII, go to the Python
 * callbacks so that character references and newline rules live in one place.
 * ------------------------------------------------------------------------------------- */

static PyObject *
decode_plain(const unsigned char *b, Py_ssize_t len, const char *encoding)
{
    int ascii = 1;
    for (Py_ssize_t i = 0; i < len && ascii; i++)
        ascii = b[i] < 0x80;
    if (ascii) {
        PyObject *str = PyUnicode_New(len, 127);
        if (str != NULL)
            memcpy(PyUnicode_1BYTE_DATA(str), b, (size_t)len);
        return str;
    }
    return PyUnicode_Decode((const char *)b, len, encoding, "replace");
}

static PyObject *
call_decoder(PyObject *fn, const unsigned char *b, Py_ssize_t len, PyObject *encoding)
{
    PyObject *raw = PyBytes_FromStringAndSize((const char *)b, len);
    if (raw == NULL)
        return NULL;
    PyObject *args[2] = {raw, encoding};
    PyObject *str = PyObject_Vectorcall(fn, args, 2, NULL);
    Py_DECREF(raw);
    return str;
}

static PyObject *
parse_attrs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 4 || !PyBytes_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError,
                        "parse_attrs(raw: bytes, encoding: str, decode_name, decode_value)");
        return NULL;
    }
    const unsigned char *buf = (const unsigned char *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]);
    PyObject *encoding = args[1];
    const char *enc = PyUnicode_AsUTF8(encoding);
    if (enc == NULL)
        return NULL;
    PyObject *attrs = PyDict_New();
    PyObject *spans = PyList_New(0);
    if (attrs == NULL || spans == NULL)
        goto error;
    /* skip "<", "</" and the tag name */
    Py_ssize_t p = 1;
    if (p < n && buf[p] == '/')
        p++;
    if (p < n)
        p++;
    while (p < n && !(cls[buf[p]] & C_NAME_END))
        p++;
    int self_closing = 0;
    for (;;) {
        Py_ssize_t run = p;
        while (p < n && (cls[buf[p]] & C_SEP))
            p++;
        if (p >= n || buf[p] == '>') {
            self_closing = p > run && buf[p - 1] == '/';
            break;
        }
        Py_ssize_t name_at = p++;
        while (p < n && !(cls[buf[p]] & C_NAME_END) && buf[p] != '=')
            p++;
        Py_ssize_t name_end = p;
        Py_ssize_t value_at = p, value_end = p; /* empty value unless one follows */
        Py_ssize_t q = p;
        while (q < n && (cls[buf[q]] & C_WS))
            q++;
        if (q < n && buf[q] == '=') {
            q++;
            while (q < n && (cls[buf[q]] & C_WS))
                q++;
            p = value_at = value_end = q; /* "name =" with no value still ends here */
            if (q < n && (buf[q] == '"' || buf[q] == '\'')) {
                const unsigned char *close =
                    q + 1 < n ? memchr(buf + q + 1, buf[q], (size_t)(n - q - 1)) : NULL;
                if (close != NULL) {
                    value_at = q + 1;
                    value_end = close - buf;
                    p = value_end + 1;
                }
            }
            else if (q < n && buf[q] != '>') {
                while (p < n && !(cls[buf[p]] & C_UQ_END))
                    p++;
                value_end = p;
            }
        }
        /* name: ASCII-lowered and decoded; NUL or non-ASCII bytes take the Python route */
        Py_ssize_t name_len = name_end - name_at;
        int plain = 1;
        for (Py_ssize_t i = name_at; i < name_end && plain; i++)
            plain = buf[i] != 0 && buf[i] < 0x80;
        PyObject *name;
        if (plain) {
            name = PyUnicode_New(name_len, 127);
            if (name != NULL) {
                Py_UCS1 *dst = PyUnicode_1BYTE_DATA(name);
                for (Py_ssize_t i = 0; i < name_len; i++)
                    dst[i] = lower[buf[name_at + i]];
            }
        }
        else {
            name = call_decoder(args[2], buf + name_at, name_len, encoding);
        }
        if (name == NULL)
            goto error;
        int seen = PyDict_Contains(attrs, name);
        if (seen < 0) {
            Py_DECREF(name);
            goto error;
        }
        if (!seen) {
            /* only the first occurrence is kept (13.2.5.33, "duplicate-attribute") */
            const unsigned char *v = buf + value_at;
            Py_ssize_t vlen = value_end - value_at;
            int simple = 1;
            for (Py_ssize_t i = 0; i < vlen && simple; i++)
                simple = v[i] != '&' && v[i] != '\r' && v[i] != 0;
            PyObject *value = simple ? decode_plain(v, vlen, enc)
                                     : call_decoder(args[3], v, vlen, encoding);
            PyObject *span = NULL;
            if (value != NULL)
                span = Py_BuildValue("(Onn)", name, name_at, p);
            int failed = value == NULL || span == NULL || PyDict_SetItem(attrs, name, value) < 0 ||
                         PyList_Append(spans, span) < 0;
            Py_XDECREF(value);
            Py_XDECREF(span);
            if (failed) {
                Py_DECREF(name);
                goto error;
            }
        }
        Py_DECREF(name);
    }
    PyObject *result = Py_BuildValue("(NNO)", attrs, spans, self_closing ? Py_True : Py_False);
    return result;
error:
    Py_XDECREF(attrs);
    Py_XDECREF(spans);
    return NULL;
}

static PyMethodDef module_methods[] = {
    {"parse_attrs", (PyCFunction)(void (*)(void))parse_attrs, METH_FASTCALL,
     "parse_attrs(raw, encoding, decode_name, decode_value) -> (attrs, spans, self_closing)"},
    {NULL},
};

/* ---------------------------------------------------------------------------------------
 * The iterator returned by Scanner.scan()
 * ------------------------------------------------------------------------------------- */

static PyObject *
ScanIter_next(ScanIter *it)
{
    Scanner *s = it->scanner;
    while (!it->done) {
        PyObject *token = NULL;
        int r;
        switch (s->state) {
        case ST_DATA:
            r = run_data(it, &token);
            break;
        case ST_RCDATA:
        case ST_RAWTEXT:
            r = run_raw(it, &token);
            break;
        case ST_SCRIPT:
            r = run_script(it, &token);
            break;
        case ST_CDATA:
            r = run_cdata(it);
            break;
        default: /* 13.2.5.5 PLAINTEXT: the rest of the document is text */
            finish(it, it->n);
            r = 0;
            break;
        }
        if (r < 0) {
            Py_XDECREF(token);
            it->done = 1;
            return NULL;
        }
        if (token != NULL)
            return token;
    }
    return NULL;
}

static void
ScanIter_dealloc(ScanIter *it)
{
    PyObject_GC_UnTrack(it);
    Py_XDECREF(it->scanner);
    Py_XDECREF(it->bufobj);
    PyObject_GC_Del(it);
}

static int
ScanIter_traverse(ScanIter *it, visitproc visit, void *arg)
{
    Py_VISIT(it->scanner);
    Py_VISIT(it->bufobj);
    return 0;
}

static PyTypeObject ScanIterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cookiegate.html._cscanner.ScanIterator",
    .tp_basicsize = sizeof(ScanIter),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Tokens of one buffer; reads the scanner's watch set at every token.",
    .tp_dealloc = (destructor)ScanIter_dealloc,
    .tp_traverse = (traverseproc)ScanIter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)ScanIter_next,
};

/* ---------------------------------------------------------------------------------------
 * The Scanner type
 * ------------------------------------------------------------------------------------- */

static PyObject *
Scanner_scan(Scanner *s, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"buf", "final", NULL};
    PyObject *buf;
    int final = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|$p:scan", kwlist, &buf, &final))
        return NULL;
    PyObject *bytes;
    if (PyBytes_CheckExact(buf)) {
        Py_INCREF(buf);
        bytes = buf;
    }
    else {
        bytes = PyBytes_FromObject(buf); /* bytearray, memoryview: scan a stable copy */
        if (bytes == NULL)
            return NULL;
    }
    ScanIter *it = PyObject_GC_New(ScanIter, &ScanIterType);
    if (it == NULL) {
        Py_DECREF(bytes);
        return NULL;
    }
    Py_INCREF(s);
    it->scanner = s;
    it->bufobj = bytes;
    it->buf = (const unsigned char *)PyBytes_AS_STRING(bytes);
    it->n = PyBytes_GET_SIZE(bytes);
    it->pos = 0;
    it->final = final;
    it->done = 0;
    it->mk_gen = s->watch_gen - 1; /* stale: forces a search on first use */
    it->mk_from = 0;
    it->mk_at = -1;
    it->close_from = -1;
    it->close_at = -1;
    s->consumed = 0;
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static int
Scanner_init(Scanner *s, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"encoding", "scripting", "token_type", "start_kind", "end_kind",
                             "decode_name", NULL};
    PyObject *encoding, *token_type, *start_kind, *end_kind, *decode_name;
    int scripting = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "$UpOOOO:Scanner", kwlist, &encoding,
                                     &scripting, &token_type, &start_kind, &end_kind,
                                     &decode_name))
        return -1;
    if (!PyCallable_Check(token_type) || !PyCallable_Check(decode_name)) {
        PyErr_SetString(PyExc_TypeError, "token_type and decode_name must be callable");
        return -1;
    }
    Py_INCREF(encoding);
    Py_XSETREF(s->encoding, encoding);
    Py_INCREF(token_type);
    Py_XSETREF(s->token_type, token_type);
    Py_INCREF(start_kind);
    Py_XSETREF(s->kind_start, start_kind);
    Py_INCREF(end_kind);
    Py_XSETREF(s->kind_end, end_kind);
    Py_INCREF(decode_name);
    Py_XSETREF(s->decode_name, decode_name);
    s->scripting = scripting;
    s->state = ST_DATA;
    s->script_mode = 0;
    s->end_len = 0;
    s->nframes = 0;
    s->nruns = 0;
    s->skipping = 0;
    s->tag_pending = 0;
    s->handlers = 0;
    s->consumed = 0;
    clear_watch(s);
    s->every = 1;
    return 0;
}

static int
Scanner_traverse(Scanner *s, visitproc visit, void *arg)
{
    Py_VISIT(s->names);
    Py_VISIT(s->watch_bytes);
    Py_VISIT(s->marker);
    Py_VISIT(s->encoding);
    Py_VISIT(s->token_type);
    Py_VISIT(s->kind_start);
    Py_VISIT(s->kind_end);
    Py_VISIT(s->decode_name);
    return 0;
}

static int
Scanner_clear(Scanner *s)
{
    clear_watch(s);
    Py_CLEAR(s->encoding);
    Py_CLEAR(s->token_type);
    Py_CLEAR(s->kind_start);
    Py_CLEAR(s->kind_end);
    Py_CLEAR(s->decode_name);
    return 0;
}

static void
Scanner_dealloc(Scanner *s)
{
    PyObject_GC_UnTrack(s);
    Scanner_clear(s);
    PyMem_Free(s->frames);
    PyMem_Free(s->runs);
    Py_TYPE(s)->tp_free((PyObject *)s);
}

static PyObject *
Scanner_get_state(Scanner *s, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(STATE_NAMES[s->state]);
}

static PyObject *
Scanner_get_depth(Scanner *s, void *closure)
{
    (void)closure;
    Py_ssize_t depth = s->nframes;
    for (Py_ssize_t r = 0; r < s->nruns; r++)
        depth += 2 * s->runs[r].count;
    return PyLong_FromSsize_t(depth);
}

static PyObject *
Scanner_get_foreign(Scanner *s, void *closure)
{
    (void)closure;
    return PyBool_FromLong(in_foreign(s));
}

static PyObject *
Scanner_get_runs(Scanner *s, void *closure)
{
    (void)closure;
    return PyLong_FromSsize_t(s->nruns + (s->nframes > 0));
}

static PyMemberDef Scanner_members[] = {
    {"consumed", T_PYSSIZET, offsetof(Scanner, consumed), READONLY,
     "Bytes of the last buffer fully handled; the caller keeps buf[consumed:] for next time."},
    {NULL},
};

static PyGetSetDef Scanner_getset[] = {
    {"state", (getter)Scanner_get_state, NULL, "The tokenizer state, as tokenizer.py names it.",
     NULL},
    {"foreign_depth", (getter)Scanner_get_depth, NULL, "Open foreign/integration frames.", NULL},
    {"in_foreign_content", (getter)Scanner_get_foreign, NULL,
     "Whether the innermost open frame is foreign content, after the last token.", NULL},
    {"frame_records", (getter)Scanner_get_runs, NULL,
     "Stored frame records: runs of repeated pairs, plus one for the innermost frames.",
     NULL},
    {NULL},
};

static PyMethodDef Scanner_methods[] = {
    {"watch", (PyCFunction)(void (*)(void))Scanner_watch, METH_VARARGS | METH_KEYWORDS,
     "watch(names, *, marker=None, event_handlers=False): choose the tags scan() emits "
     "(None: all)."},
    {"scan", (PyCFunction)(void (*)(void))Scanner_scan, METH_VARARGS | METH_KEYWORDS,
     "scan(buf, *, final=False): iterator over the wanted tags of buf; sets consumed."},
    {NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cookiegate.html._cscanner.Scanner",
    .tp_basicsize = sizeof(Scanner),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Native streaming scanner; see cookiegate.html.tokenizer.NativeTokenizer.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scanner_init,
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_traverse = (traverseproc)Scanner_traverse,
    .tp_clear = (inquiry)Scanner_clear,
    .tp_members = Scanner_members,
    .tp_getset = Scanner_getset,
    .tp_methods = Scanner_methods,
};

/* ---------------------------------------------------------------------------------------
 * LiteralSet: which of a fixed set of byte literals occur in a buffer (Aho-Corasick)
 *
 * Built once from (literal, id) pairs. The automaton is a dense DFA over byte classes:
 * bytes that occur in no literal share class 0, and with ignore_case an ASCII upper-case
 * letter shares the class of its lower-case twin (only ASCII letters fold, exactly like
 * bytes.lower()). find_ids() makes one pass with one table load per byte and never copies
 * the data. Each state lists the literals ending there (own) and links to the nearest
 * shorter proper suffix state that also ends literals (dict), so every occurrence is seen,
 * including overlapping ones and literals inside others. Ids are kept as C integers, so
 * the object holds no references and needs no GC support.
 * ------------------------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    int ignore_case;
    Py_ssize_t n_literals;
    Py_ssize_t n_states;
    Py_ssize_t n_classes;
    unsigned char cls[256];
    int32_t *delta;      /* n_states * n_classes transitions */
    int32_t *trie;       /* the same, trie edges only (0: none), for findall_ids() */
    int32_t *own_first;  /* per state: first literal ending here, or -1 */
    int32_t *dict;       /* per state: nearest proper suffix state that ends literals, or -1 */
    unsigned char *hit;  /* per state: own_first >= 0 || dict >= 0 */
    int32_t *lit_next;   /* per literal: next literal ending at the same state, or -1 */
    long long *ids;      /* per literal: its id */
} LiteralSet;

static void
LiteralSet_free_tables(LiteralSet *self)
{
    PyMem_Free(self->delta);
    PyMem_Free(self->trie);
    PyMem_Free(self->own_first);
    PyMem_Free(self->dict);
    PyMem_Free(self->hit);
    PyMem_Free(self->lit_next);
    PyMem_Free(self->ids);
    self->delta = self->trie = self->own_first = self->dict = self->lit_next = NULL;
    self->hit = NULL;
    self->ids = NULL;
}

static void
LiteralSet_dealloc(LiteralSet *self)
{
    LiteralSet_free_tables(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static unsigned char
fold_byte(unsigned char c, int ignore_case)
{
    return (ignore_case && c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Builds the automaton from the borrowed pair list; 0 on success, -1 with an exception. */
static int
LiteralSet_build(LiteralSet *self, PyObject *fast)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    Py_ssize_t total = 0;
    int32_t *parent_queue = NULL;
    int32_t *fail = NULL;
    int32_t *lit_state = NULL;
    int rc = -1;

    if (n > INT32_MAX - 1) {
        PyErr_SetString(PyExc_OverflowError, "too many literals");
        return -1;
    }
    /* pass 1: validate, size the trie and collect the byte classes */
    unsigned char used[256];
    memset(used, 0, sizeof(used));
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = items[k];
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "LiteralSet: each item must be a (bytes, int) tuple");
            return -1;
        }
        PyObject *lit = PyTuple_GET_ITEM(pair, 0);
        PyObject *id = PyTuple_GET_ITEM(pair, 1);
        if (!PyBytes_Check(lit) || !PyLong_Check(id)) {
            PyErr_SetString(PyExc_TypeError, "LiteralSet: each item must be a (bytes, int) tuple");
            return -1;
        }
        Py_ssize_t len = PyBytes_GET_SIZE(lit);
        if (len > INT32_MAX - 1 - total) {
            PyErr_SetString(PyExc_OverflowError, "LiteralSet: literals too long in total");
            return -1;
        }
        total += len;
        const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(lit);
        for (Py_ssize_t i = 0; i < len; i++)
            used[fold_byte(p[i], self->ignore_case)] = 1;
    }
    Py_ssize_t n_classes = 1;
    memset(self->cls, 0, sizeof(self->cls));
    for (int c = 0; c < 256; c++) {
        if (used[c])
            self->cls[c] = (unsigned char)n_classes++;
    }
    if (self->ignore_case) {
        for (int c = 'A'; c <= 'Z'; c++)
            self->cls[c] = self->cls[c + ('a' - 'A')];
    }
    Py_ssize_t max_states = total + 1;
    if ((size_t)max_states > (size_t)PY_SSIZE_T_MAX / sizeof(int32_t) / (size_t)n_classes) {
        PyErr_NoMemory();
        return -1;
    }
    self->n_classes = n_classes;
    self->n_literals = n;
    self->delta = PyMem_Calloc((size_t)max_states * (size_t)n_classes, sizeof(int32_t));
    self->own_first = PyMem_Malloc((size_t)max_states * sizeof(int32_t));
    self->dict = PyMem_Malloc((size_t)max_states * sizeof(int32_t));
    self->hit = PyMem_Calloc((size_t)max_states, 1);
    self->lit_next = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(int32_t));
    self->ids = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(long long));
    fail = PyMem_Malloc((size_t)max_states * sizeof(int32_t));
    parent_queue = PyMem_Malloc((size_t)max_states * sizeof(int32_t));
    lit_state = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(int32_t));
    if (!self->delta || !self->own_first || !self->dict || !self->hit || !self->lit_next ||
        !self->ids || !fail || !parent_queue || !lit_state) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t s = 0; s < max_states; s++) {
        self->own_first[s] = -1;
        self->dict[s] = -1;
    }

    /* pass 2: the trie (0 in delta means "no child" while building; the root is no child) */
    Py_ssize_t n_states = 1;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = items[k];
        PyObject *lit = PyTuple_GET_ITEM(pair, 0);
        long long id = PyLong_AsLongLong(PyTuple_GET_ITEM(pair, 1));
        if (id == -1 && PyErr_Occurred())
            goto done;
        self->ids[k] = id;
        Py_ssize_t len = PyBytes_GET_SIZE(lit);
        const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(lit);
        int32_t s = 0;
        for (Py_ssize_t i = 0; i < len; i++) {
            int32_t *slot = &self->delta[(size_t)s * (size_t)n_classes + self->cls[p[i]]];
            if (*slot == 0) {
                if (n_states >= max_states) { /* cannot happen: one state per byte at most */
                    PyErr_SetString(PyExc_SystemError, "LiteralSet: state overflow");
                    goto done;
                }
                *slot = (int32_t)n_states++;
            }
            s = *slot;
        }
        lit_state[k] = s;
    }
    /* literals ending at one state, in input order (pushed in reverse) */
    for (Py_ssize_t k = n - 1; k >= 0; k--) {
        int32_t s = lit_state[k];
        self->lit_next[k] = self->own_first[s];
        self->own_first[s] = (int32_t)k;
    }
    self->n_states = n_states;
    self->trie = PyMem_Malloc((size_t)n_states * (size_t)n_classes * sizeof(int32_t));
    if (self->trie == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(self->trie, self->delta, (size_t)n_states * (size_t)n_classes * sizeof(int32_t));

    /* pass 3: breadth first, failure links fill the missing transitions. A row is
     * untouched until its state leaves the queue, so its non-zero entries are then
     * exactly its trie children; the row of fail[s] (shallower) is already complete. */
    Py_ssize_t head = 0, tail = 0;
    fail[0] = 0;
    parent_queue[tail++] = 0;
    while (head < tail) {
        int32_t s = parent_queue[head++];
        int32_t *row = &self->delta[(size_t)s * (size_t)n_classes];
        const int32_t *frow = &self->delta[(size_t)fail[s] * (size_t)n_classes];
        for (Py_ssize_t c = 0; c < n_classes; c++) {
            int32_t t = row[c];
            if (t != 0) {
                int32_t f = (s == 0) ? 0 : frow[c];
                fail[t] = f;
                /* the root's own literals are empty ones, reported up front */
                self->dict[t] = (f != 0 && self->own_first[f] >= 0) ? f : self->dict[f];
                if (tail >= max_states) {
                    PyErr_SetString(PyExc_SystemError, "LiteralSet: queue overflow");
                    goto done;
                }
                parent_queue[tail++] = t;
            }
            else {
                row[c] = (s == 0) ? 0 : frow[c];
            }
        }
    }
    for (Py_ssize_t s = 1; s < n_states; s++)
        self->hit[s] = (unsigned char)(self->own_first[s] >= 0 || self->dict[s] >= 0);
    rc = 0;
done:
    PyMem_Free(fail);
    PyMem_Free(parent_queue);
    PyMem_Free(lit_state);
    if (rc < 0)
        LiteralSet_free_tables(self);
    return rc;
}

static PyObject *
LiteralSet_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"literals", "ignore_case", NULL};
    PyObject *literals;
    int ignore_case = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|$p:LiteralSet", kwlist, &literals,
                                     &ignore_case))
        return NULL;
    PyObject *fast = PySequence_Fast(literals, "LiteralSet: literals must be a sequence");
    if (fast == NULL)
        return NULL;
    LiteralSet *self = (LiteralSet *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(fast);
        return NULL;
    }
    self->ignore_case = ignore_case;
    int rc = LiteralSet_build(self, fast);
    Py_DECREF(fast);
    if (rc < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

/* Marks state s and its dict chain as reported, stopping at an already reported state. */
static Py_ssize_t
LiteralSet_mark(const LiteralSet *self, unsigned char *done, int32_t s)
{
    Py_ssize_t newly = 0;
    while (s > 0 && !done[s]) {
        done[s] = 1;
        for (int32_t k = self->own_first[s]; k >= 0; k = self->lit_next[k])
            newly++;
        s = self->dict[s];
    }
    return newly;
}

static PyObject *
LiteralSet_find_ids(LiteralSet *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *result = NULL;
    unsigned char *done = PyMem_Calloc((size_t)self->n_states, 1);
    if (done == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    const unsigned char *p = (const unsigned char *)view.buf;
    Py_ssize_t len = view.len;
    const int32_t *delta = self->delta;
    const unsigned char *cls = self->cls;
    const unsigned char *hit = self->hit;
    const size_t ncls = (size_t)self->n_classes;
    /* literals still unseen; empty literals end at the root and occur in any data */
    Py_ssize_t remaining = self->n_literals;
    for (int32_t k = self->own_first[0]; k >= 0; k = self->lit_next[k])
        remaining--;
    int32_t s = 0;
    for (Py_ssize_t i = 0; i < len && remaining > 0; i++) {
        s = delta[(size_t)s * ncls + cls[p[i]]];
        if (hit[s] && !done[s])
            remaining -= LiteralSet_mark(self, done, s);
    }
    result = PySet_New(NULL);
    if (result == NULL)
        goto out;
    for (Py_ssize_t st = 0; st < self->n_states; st++) {
        if (st != 0 && !done[st])
            continue;
        for (int32_t k = self->own_first[st]; k >= 0; k = self->lit_next[k]) {
            PyObject *id = PyLong_FromLongLong(self->ids[k]);
            if (id == NULL || PySet_Add(result, id) < 0) {
                Py_XDECREF(id);
                Py_CLEAR(result);
                goto out;
            }
            Py_DECREF(id);
        }
    }
out:
    PyMem_Free(done);
    PyBuffer_Release(&view);
    return result;
}

/* The ids of the literals that re.findall() would return for an alternation of the
 * literals sorted longest first: at each offset the longest literal starting there wins
 * and the search resumes after it; with no match it moves on one byte. Literals hidden
 * inside or overlapping an earlier match are not reported. */
static PyObject *
LiteralSet_findall_ids(LiteralSet *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *result = NULL;
    unsigned char *done = PyMem_Calloc((size_t)self->n_states, 1);
    if (done == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    const unsigned char *p = (const unsigned char *)view.buf;
    Py_ssize_t len = view.len;
    const int32_t *trie = self->trie;
    const unsigned char *cls = self->cls;
    const int32_t *own_first = self->own_first;
    const size_t ncls = (size_t)self->n_classes;
    Py_ssize_t i = 0;
    while (i < len) {
        int32_t s = 0, best = -1;
        Py_ssize_t best_end = i, j = i;
        while (j < len) {
            s = trie[(size_t)s * ncls + cls[p[j]]];
            if (s == 0)
                break;
            j++;
            if (own_first[s] >= 0) {
                best = s;
                best_end = j;
            }
        }
        if (best > 0) {
            done[best] = 1;
            i = best_end;
        }
        else {
            i++;
        }
    }
    result = PySet_New(NULL);
    if (result == NULL)
        goto out;
    for (Py_ssize_t st = 0; st < self->n_states; st++) {
        if (st != 0 && !done[st])
            continue;
        for (int32_t k = own_first[st]; k >= 0; k = self->lit_next[k]) {
            PyObject *id = PyLong_FromLongLong(self->ids[k]);
            if (id == NULL || PySet_Add(result, id) < 0) {
                Py_XDECREF(id);
                Py_CLEAR(result);
                goto out;
            }
            Py_DECREF(id);
        }
    }
out:
    PyMem_Free(done);
    PyBuffer_Release(&view);
    return result;
}

static PyObject *
LiteralSet_get_ignore_case(LiteralSet *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->ignore_case);
}

static Py_ssize_t
LiteralSet_len(LiteralSet *self)
{
    return self->n_literals;
}

static PyGetSetDef LiteralSet_getset[] = {
    {"ignore_case", (getter)LiteralSet_get_ignore_case, NULL,
     "Whether ASCII letters match regardless of case.", NULL},
    {NULL},
};

static PyMethodDef LiteralSet_methods[] = {
    {"find_ids", (PyCFunction)LiteralSet_find_ids, METH_O,
     "find_ids(data) -> set[int]: the ids of every literal occurring anywhere in data."},
    {"findall_ids", (PyCFunction)LiteralSet_findall_ids, METH_O,
     "findall_ids(data) -> set[int]: the ids of the literals re.findall() finds with an "
     "alternation of the literals sorted longest first (leftmost-longest, no overlaps)."},
    {NULL},
};

static PySequenceMethods LiteralSet_as_sequence = {
    .sq_length = (lenfunc)LiteralSet_len,
};

static PyTypeObject LiteralSetType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cookiegate.html._cscanner.LiteralSet",
    .tp_basicsize = sizeof(LiteralSet),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "LiteralSet(literals, *, ignore_case=False): one-pass search for many byte "
              "literals; literals is a sequence of (bytes, int id) tuples.",
    .tp_new = LiteralSet_new,
    .tp_dealloc = (destructor)LiteralSet_dealloc,
    .tp_as_sequence = &LiteralSet_as_sequence,
    .tp_getset = LiteralSet_getset,
    .tp_methods = LiteralSet_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "cookiegate.html._cscanner",
    .m_doc = "Native twin of cookiegate.html.tokenizer's watch-mode scanner.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__cscanner(void)
{
    init_tables();
    if (PyType_Ready(&ScannerType) < 0 || PyType_Ready(&ScanIterType) < 0 ||
        PyType_Ready(&LiteralSetType) < 0)
        return NULL;
    if (empty_str == NULL) {
        empty_str = PyUnicode_New(0, 0);
        if (empty_str == NULL)
            return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&ScannerType);
    if (PyModule_AddObject(m, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(&ScannerType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&LiteralSetType);
    if (PyModule_AddObject(m, "LiteralSet", (PyObject *)&LiteralSetType) < 0) {
        Py_DECREF(&LiteralSetType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

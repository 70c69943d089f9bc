/*
 * Candidate counting for the name matcher (section307.screening.matcher).
 *
 * top_shared(postings, need, k) -> list[int]
 *
 * ``postings`` are the trigram postings a query reads: duplicate-free int32 buffers (numpy
 * arrays) of watchlist name ids, ascending as the index holds them (the order is not relied on). Returns the ids found in at least ``need`` of them,
 * keeping the ``k`` found in the most lists (the lower id first among equal counts), ascending.
 * matcher._top_shared_numpy is the same function in numpy and defines it; a test holds the two
 * equal.
 *
 * Numpy counts with an array as long as the largest id, then scans all of it: about 45 us a
 * query against 100,000 names. Here a byte per id is kept between calls and only the ids met
 * are read and reset, so a query costs about as much as the ids it reads (11,000).
 *
 * Called with the interpreter lock held and never releasing it: the buffers kept between calls
 * are not shared by two calls at once.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static uint8_t *counts = NULL;  /* one byte per id, all zero between calls */
static Py_ssize_t counts_len = 0;
static int32_t *met = NULL;     /* the distinct ids met by the current call */
static int32_t *reached = NULL; /* the ids whose count reached need */
static Py_ssize_t met_cap = 0;

static int
grow(Py_ssize_t largest, Py_ssize_t total)
{
    if (largest >= counts_len) {
        Py_ssize_t n = largest + 1 + largest / 4;
        uint8_t *c = PyMem_Realloc(counts, (size_t)n);
        if (c == NULL) {
            return -1;
        }
        memset(c + counts_len, 0, (size_t)(n - counts_len));
        counts = c;
        counts_len = n;
    }
    if (total > met_cap) {
        int32_t *m = PyMem_Realloc(met, (size_t)total * sizeof(int32_t));
        if (m == NULL) {
            return -1;
        }
        met = m;
        int32_t *r = PyMem_Realloc(reached, (size_t)total * sizeof(int32_t));
        if (r == NULL) {
            return -1;
        }
        reached = r;
        met_cap = total;
    }
    return 0;
}

/* The ``m`` smallest values of ``a[0..n)`` moved to its front, in any order (quickselect). */
static void
smallest_first(int32_t *a, Py_ssize_t n, Py_ssize_t m)
{
    Py_ssize_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int32_t pivot = a[lo + (hi - lo) / 2];
        Py_ssize_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) {
                i++;
            }
            while (a[j] > pivot) {
                j--;
            }
            if (i <= j) {
                int32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (m - 1 <= j) {
            hi = j;
        }
        else if (m - 1 >= i) {
            lo = i;
        }
        else {
            break;
        }
    }
}

static void
sort_ids(int32_t *a, Py_ssize_t n)
{
    for (Py_ssize_t i = 1; i < n; i++) {
        int32_t v = a[i];
        Py_ssize_t j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static int
int32_buffer(const Py_buffer *view)
{
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@') {
        f++;
    }
    return view->itemsize == 4 && (f[0] == 'i' || f[0] == 'l') && f[1] == '\0' && view->ndim == 1;
}

static PyObject *
top_shared(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *seq;
    int need;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "Oin", &seq, &need, &k)) {
        return NULL;
    }
    if (need < 1 || need > 255 || k < 1 || k > 256) {
        PyErr_SetString(PyExc_ValueError, "need must be 1 to 255 and k 1 to 256");
        return NULL;
    }
    PyObject *fast = PySequence_Fast(seq, "postings must be a sequence");
    if (fast == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > 255) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "at most 255 postings lists (counts are bytes)");
        return NULL;
    }
    PyObject *result = NULL;
    Py_buffer *views = PyMem_Calloc(n ? (size_t)n : 1, sizeof(Py_buffer));
    Py_ssize_t held = 0;
    if (views == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t largest = -1, total = 0;
    for (; held < n; held++) {
        if (PyObject_GetBuffer(PySequence_Fast_GET_ITEM(fast, held), &views[held], PyBUF_FORMAT | PyBUF_ND) < 0) {
            goto done;
        }
        const Py_buffer *v = &views[held];
        if (!int32_buffer(v)) {
            held++;
            PyErr_SetString(PyExc_TypeError, "postings must be one-dimensional int32 arrays");
            goto done;
        }
        /* Every id is read once here rather than trusting the lists to be sorted: the ids index
         * the byte array, so the largest and smallest must be known, not assumed. */
        const int32_t *ids = (const int32_t *)v->buf;
        Py_ssize_t len = v->len / 4;
        int32_t lo = 0, hi = -1;
        for (Py_ssize_t j = 0; j < len; j++) {
            lo = ids[j] < lo ? ids[j] : lo;
            hi = ids[j] > hi ? ids[j] : hi;
        }
        if (lo < 0) {
            held++;
            PyErr_SetString(PyExc_ValueError, "postings hold a negative id");
            goto done;
        }
        if (hi > largest) {
            largest = hi;
        }
        total += len;
    }
    if (grow(largest, total) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    /* Count, without branches on the counts (they are as good as random). Each id is written to
     * ``met`` the first time it is seen and to ``reached`` when its count reaches ``need``. */
    Py_ssize_t nmet = 0, nreached = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const int32_t *ids = (const int32_t *)views[i].buf;
        Py_ssize_t len = views[i].len / 4;
        for (Py_ssize_t j = 0; j < len; j++) {
            int32_t id = ids[j];
            unsigned c = counts[id] + 1u;
            counts[id] = (uint8_t)c;
            met[nmet] = id;
            nmet += c == 1u;
            reached[nreached] = id;
            nreached += c == (unsigned)need;
        }
    }
    /* How many ids reach each count, to find the lowest count among the k kept. */
    Py_ssize_t hist[256] = {0};
    for (Py_ssize_t i = 0; i < nreached; i++) {
        hist[counts[reached[i]]]++;
    }
    int floor_count = 255;
    Py_ssize_t above = 0;  /* ids with a count above floor_count */
    while (floor_count > need && above + hist[floor_count] < k) {
        above += hist[floor_count];
        floor_count--;
    }
    /* Keep every id above floor_count and the lowest ids at floor_count, up to k in all. */
    Py_ssize_t nkeep = 0, nties = 0;
    int32_t *ties = reached;  /* reuses the front of reached: written behind the read position */
    int32_t keep[256];
    for (Py_ssize_t i = 0; i < nreached; i++) {
        int32_t id = reached[i];
        unsigned c = counts[id];
        if (c > (unsigned)floor_count) {
            keep[nkeep++] = id;
        }
        else if (c == (unsigned)floor_count) {
            ties[nties++] = id;
        }
    }
    /* Zero the counts again: by the ids met when they are few for the array, else all of it. */
    if (nmet < (largest + 1) / 8) {
        for (Py_ssize_t i = 0; i < nmet; i++) {
            counts[met[i]] = 0;
        }
    }
    else if (largest >= 0) {
        memset(counts, 0, (size_t)(largest + 1));
    }
    Py_ssize_t room = k - nkeep;
    if (nties > room) {
        smallest_first(ties, nties, room);
        nties = room;
    }
    for (Py_ssize_t i = 0; i < nties; i++) {
        keep[nkeep++] = ties[i];
    }
    sort_ids(keep, nkeep);
    result = PyList_New(nkeep);
    if (result == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < nkeep; i++) {
        PyObject *v = PyLong_FromLong(keep[i]);
        if (v == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, v);
    }
done:
    for (Py_ssize_t i = 0; i < held; i++) {
        PyBuffer_Release(&views[i]);
    }
    PyMem_Free(views);
    Py_DECREF(fast);
    return result;
}

static PyMethodDef methods[] = {
    {"top_shared", top_shared, METH_VARARGS,
     "top_shared(postings, need, k) -> ids in at least need of postings, the k in the most, ascending"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_counting", "Candidate counting for the name matcher.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__counting(void)
{
    return PyModule_Create(&module);
}

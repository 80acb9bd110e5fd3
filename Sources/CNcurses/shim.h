// The ncursesw API as Swift sees it: wide characters on, and functions for what ncurses
// exposes as macros or global variables.
#ifndef MEET_CNCURSES_SHIM_H
#define MEET_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <sys/ioctl.h>
#include <unistd.h>

static inline WINDOW *meet_stdscr(void) { return stdscr; }
static inline WINDOW *meet_curscr(void) { return curscr; }
/// The terminal's size as the kernel has it now (0 on success).
static inline int meet_terminal_size(int *rows, int *columns) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}
static inline int meet_key_ppage(void) { return KEY_PPAGE; }
static inline int meet_key_npage(void) { return KEY_NPAGE; }
static inline int meet_lines(void) { return LINES; }
static inline int meet_columns(void) { return COLS; }
static inline int meet_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int meet_attr_bold(void) { return (int)A_BOLD; }
static inline int meet_attr_reverse(void) { return (int)A_REVERSE; }
static inline int meet_attr_dim(void) { return (int)A_DIM; }
static inline int meet_key_code_yes(void) { return KEY_CODE_YES; }
static inline int meet_key_resize(void) { return KEY_RESIZE; }
static inline int meet_key_up(void) { return KEY_UP; }
static inline int meet_key_down(void) { return KEY_DOWN; }
static inline int meet_key_backspace(void) { return KEY_BACKSPACE; }
static inline int meet_key_enter(void) { return KEY_ENTER; }
/// Reads one key or character into `*value`; OK, KEY_CODE_YES (a function key) or ERR.
static inline int meet_get_wch(wint_t *value) { return wget_wch(stdscr, value); }
#endif

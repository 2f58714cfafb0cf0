/* role.h: semantic colour roles (htop/ncdu): drawing code never names a colour. */
#ifndef ECSFIX_TUI_ROLE_H
#define ECSFIX_TUI_ROLE_H

#define TUI_ROLES(X)                                                                               \
	X(NORMAL)                                                                                  \
	X(TITLE)                                                                                   \
	X(COLHEAD)                                                                                 \
	X(SELECTED)                                                                                \
	X(BAD)                                                                                     \
	X(WARN)                                                                                    \
	X(GOOD)                                                                                    \
	X(DIM)                                                                                     \
	X(ADD)                                                                                     \
	X(DEL)                                                                                     \
	X(HUNK)                                                                                    \
	X(HEADER)                                                                                  \
	X(STATUS)                                                                                  \
	X(ERROR)                                                                                   \
	X(DIALOG)

enum tui_role {
#define X(id) TUI_ROLE_##id,
	TUI_ROLES(X)
#undef X
	    TUI_ROLE__COUNT
};

#endif

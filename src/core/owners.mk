# core sources of owners (issue 14): owner resolution, least-privilege hints, Security Hub
# finding updates, recorded exceptions, the markdown reports. A fragment of its own so the
# shared src/core/local.mk is not edited by several branches at once.
src_core_libcore_a_SOURCES += \
	src/core/exceptions.c src/core/exceptions.h src/core/exceptions_hub.c \
	src/core/findings_update.c src/core/findings_update.h \
	src/core/hints.c src/core/hints.h \
	src/core/owner.c src/core/owner.h \
	src/core/report_md.c src/core/report_md.h

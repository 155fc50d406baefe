/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Range lists of "oem sha256" (Documentation/usb-f-fastboot.rst, "Verifying
 * what was written"): the byte ranges of a partition whose contents the
 * device hashes. Pure C (see pure.h), shared by usb_f_fastboot (which
 * parses them), fastboot-lite (which writes them), the unit tests and the
 * fuzzers.
 *
 * Grammar: one or more ranges "0x<offset>:0x<length>" (1 to 16 hex
 * digits each, either case), separated by one ',' or one newline; one
 * separator may end the list. Lengths are not 0, offset + length fits in
 * 64 bits, every range starts at or after the end of the one before
 * (ascending, not overlapping; adjacent is allowed) and ends at or before
 * the limit (the partition's size). Nothing else is accepted: no blanks,
 * no CR, no decimal numbers.
 *
 * The digest a device answers is the SHA-256 of the bytes of the ranges
 * concatenated in list order.
 *
 * The parser is streaming: the list may arrive in pieces (the blocks of a
 * download), fed in order; every complete range is handed to a callback
 * as soon as it is checked.
 */
#ifndef _IMXFLASH_FASTBOOT_RANGES_H
#define _IMXFLASH_FASTBOOT_RANGES_H

#include "pure.h"
#include "fastboot_cmd.h"

#define FASTBOOT_RANGES_HEX_MAX	16	/* digits of one number */
/* Longest range as text: "0x" 16 ":0x" 16 and a separator */
#define FASTBOOT_RANGE_TEXT_MAX	(2 + 16 + 3 + 16 + 1)

/* Called for each range; a non-zero return stops the parse with it. */
typedef int (*fastboot_range_fn)(void *ctx, u64 off, u64 len);

/**
 * struct fastboot_ranges - state of one parse
 * @limit:  ranges end at or before this (bytes of the partition)
 * @end:    end of the last complete range (0 before the first)
 * @bytes:  sum of the lengths of the complete ranges
 * @count:  complete ranges
 * @pos:    bytes of the list consumed (where an error is)
 * @off:    offset of the range being read
 * @len:    length of the range being read
 * @state:  where in a range the next byte goes (parser internal)
 * @digits: hex digits of the number being read
 * @why:    static text of the error, NULL if none
 *
 * A range is numbered @count + 1 while it is read: that is the number an
 * error message names.
 */
struct fastboot_ranges {
	u64 limit;
	u64 end;
	u64 bytes;
	u32 count;
	u32 pos;
	u64 off;
	u64 len;
	u8 state;
	u8 digits;
	const char *why;
};

void fastboot_ranges_init(struct fastboot_ranges *r, u64 limit);

/*
 * Parse @len more bytes of the list. Returns 0, the callback's non-zero
 * return, or -EINVAL (syntax: @why names what was expected, @pos where)
 * or -ERANGE (a range of length 0, past 64 bits, not ascending, or past
 * the limit: @why says which, @count + 1 is the range). After an error
 * every further call returns it again.
 */
int fastboot_ranges_feed(struct fastboot_ranges *r, const char *buf,
			 size_t len, fastboot_range_fn fn, void *ctx);

/*
 * The list has ended: the last range is handed over. Returns 0, the
 * callback's return, or -EINVAL ("no ranges", a list that ends inside a
 * range) / -ERANGE as above.
 */
int fastboot_ranges_finish(struct fastboot_ranges *r, fastboot_range_fn fn,
			   void *ctx);

/*
 * The arguments of "oem sha256": @arg is what follows "oem " in the
 * command @buf ("sha256 <partition>[ <ranges>]"). Sets @part to the
 * partition name and @list to the ranges (length 0: none given, the
 * list is the last download). Returns 0 or -EINVAL with @why (the
 * partition name itself is checked when it is opened).
 */
int fastboot_sha256_args(const char *buf, struct fastboot_span arg,
			 struct fastboot_span *part, struct fastboot_span *list,
			 const char **why);

#endif /* _IMXFLASH_FASTBOOT_RANGES_H */

# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading every page of a Describe action, and splitting long ID lists into the batches an action accepts."""

from __future__ import annotations


def batches(values, size):
    """`values` (duplicates dropped, order kept) in consecutive lists of at most `size`."""
    values = list(dict.fromkeys(values))
    return [values[start:start + size] for start in range(0, len(values), size)]


def read_all_pages(call, action, params, items_of, page_size):
    """Every item `action` lists for `params`, page after page until TotalCount is reached.

    call(action, params) -> answer; items_of(answer) -> the items of one page.
    """
    first = call(action, dict(params, PageNumber=1, PageSize=page_size))
    return read_pages_after(call, action, params, items_of, page_size, first)


def int_or_none(value):
    """An API number (often sent as a string), or None when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def read_pages_after(call, action, params, items_of, page_size, first_answer):
    """Every item `action` lists for `params`, when page 1 has been read already (its answer is `first_answer`).

    For readers that look at page 1 (its TotalCount) before deciding whether to read the rest: the same stopping
    rules as read_all_pages, without calling for page 1 again. Stops on a short page too, so a TotalCount that
    changes while paging (resources created or released meanwhile) cannot loop.
    """
    items = list(items_of(first_answer) or [])
    total = total_count(first_answer)
    page = 1
    while len(items) == page * page_size and (total is None or len(items) < total):
        page += 1
        found = items_of(call(action, dict(params, PageNumber=page, PageSize=page_size))) or []
        items.extend(found)
    return items


def total_count(answer):
    """The TotalCount of a Describe answer, or None when it is missing or not a number."""
    return int_or_none(answer.get("TotalCount"))


def pages_for(total, page_size):
    """How many calls list `total` items, `page_size` a page (at least one: an empty list is one call)."""
    return max(1, -(-max(0, total) // page_size))

"""Data: upload exports, check what each file is, its columns, the rows left out, and the department matching."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from lib.figures import hme, nordic
from lib.present import breakdowns
from lib.present.exports import table_csv
from lib.i18n import _
from lib.read.table import ENCODINGS, WORKBOOK_SUFFIXES
from lib.detect.roles import ROLE_NAMES, ROLES
from lib.detect.review import ReviewLine, review, survey_review, thin
from lib.figures.summary import make_link
from lib.privacy import surfaces
from lib.survey.frame import MixedPartsError
from lib.survey.hierarchy import looks_like_organisation
from ui import state, widgets
from ui.data import Context, Loaded, configured_sources, count_again

ctx: Context = state.context()
st.title(_("Data"))
st.caption(_("Upload the customer and the employee survey exactly as your survey tool exported them. "
             "Files stay in this session's memory and are never written to disk."))

USE_LABELS = {"auto": _("Guess"), "customer": _("Customer survey"), "employee": _("Employee survey"),
              "unused": _("Not used")}


def _add_uploads() -> None:
    for up in state.widget(state.UPLOADER) or []:
        state.add_file(up.name, up.getvalue())


st.file_uploader(_("Survey exports"), type=["xlsx", "xlsm", "xls", "ods", "csv", "txt"], accept_multiple_files=True,
                 key=state.UPLOADER, on_change=_add_uploads,
                 help=_("Excel, OpenDocument or CSV exports from Qualtrics, SurveyMonkey, Google Forms, Microsoft Forms, "
                        "Typeform, LimeSurvey, Alchemer, Netigate, Webropol, Questback or your own workbook."))


def _choose_source(key: str, none: str, named: dict) -> None:
    value = state.widget(key)
    if value not in (None, none) and value in named:
        state.add_source(value, named[value])


_named = configured_sources()
if _named:  # customer answers where they live: named by whoever runs the server, in .streamlit/secrets.toml
    _none = "– " + _("none") + " –"
    _left, _right = st.columns([3, 1], vertical_alignment="bottom")
    state.start_among(state.SOURCE, [_none, *_named], _none)
    _left.selectbox(_("Customer answers from a database"), [_none, *_named], key=state.SOURCE, on_change=_choose_source,
                    args=(state.SOURCE, _none, _named),
                    help=_("Counted where they live (per unit, day, segment and answer) and kept for this session "
                           "until they are counted again."))
    _right.button(_("Count again"), on_click=count_again, help=_("Count the answers in their database now."))
if state.using_sample():
    st.info(_("Showing the sample data. Your first upload replaces it."), icon=":material/science:")
elif not state.files():
    st.button(_("Show the sample data again"), on_click=state.load_sample)


def _set_use(digest: str, key: str) -> None:
    state.files()[digest].use = state.widget(key)


def _set_sheet(digest: str, key: str) -> None:
    state.files()[digest].sheet = state.widget(key)


def _role_names() -> dict[str, str]:
    return {code: str(ROLE_NAMES[code]) for code in ROLES}


def _set_roles(digest: str, key: str, detected: dict[str, str], scales: dict[str, str]) -> None:
    codes = {name: code for code, name in _role_names().items()}
    edits = {row: {**change, **({"role": codes.get(change["role"], change["role"])} if "role" in change else {})}
             for row, change in ((state.widget(key) or {}).get("edited_rows", {})).items()}
    state.files()[digest].apply_edits(edits, detected, scales)


def _set_encoding(digest: str, key: str) -> None:
    value = state.widget(key)
    state.files()[digest].encoding = None if value == "auto" else value


def _set_hme(digest: str, code: str, key: str, none: str) -> None:
    value = state.widget(key)
    state.files()[digest].hme[code] = "" if value in (None, none) else str(value)


def _hme_mapping(item: Loaded) -> None:
    """Which column holds each of SKR's nine HME statements: recognised by wording, changeable here (wording
    drifts between municipalities); the choice is kept with the file for this session."""
    f, s = item.file, item.survey
    five = [i.name for i in s.items if (i.scale.low, i.scale.high) == (1, 5)]
    current = nordic.hme_columns(s, dict(ctx.settings.hme))  # the file's choices that fit (lib.load checks them)
    found = current.codes if current is not None else {}
    with st.expander(_("HME statements ({n} of 9 found)").format(n=len(found)), expanded=0 < len(found) < 9):
        st.caption(_("SKR's nine statements, on their 1–5 scale. Choose the column of a statement whose wording "
                     "differs from SKR's, or none."))
        cols = st.columns(3)
        none = "– " + _("none") + " –"  # a label, not a column: the options are shown as they are
        for j, code in enumerate(hme.CODES):
            key = state.file_key(f"hme_{code}", f.digest)
            state.start_among(key, [none, *five], found.get(code) or none)
            cols[j // 3].selectbox(f"{code}: {hme.STATEMENTS[code][0]}", [none, *five], key=key,
                                   on_change=_set_hme, args=(f.digest, code, key, none))


def _set_header_row(digest: str, key: str) -> None:
    state.set_header_row(digest, state.widget(key))


def _header_row_input(item: Loaded, holder) -> None:
    """The header row the reader took (from the read file), to choose another."""
    f = item.file
    key = state.file_key("header_row", f.digest)
    found = getattr(item.survey, "header_row", None) if item.survey is not None else None
    state.start(key, state.header_row(f.digest) or found or 0)
    holder.number_input(_("Header row"), min_value=0, step=1, key=key, on_change=_set_header_row, args=(f.digest, key),
                        help=_("The spreadsheet row that holds the column names; 0 lets the explorer find it."))


def _set_part(digest: str, column: str, key: str, every: str) -> None:
    value = state.widget(key)
    state.set_part(digest, column, None if value in (None, every) else str(value))


def _part_choice(item: Loaded) -> None:
    """A column whose answers mix question types (told apart by another column): choose the part to read."""
    f = item.file
    if isinstance(item.problem, MixedPartsError):
        state.offer_parts(f.digest, item.problem.group, item.problem.parts)
    offered = state.offered_parts(f.digest)
    if offered is None:
        return
    column, values = offered
    key = state.file_key("part", f.digest)
    every = "– " + _("every row") + " –"
    options = [every, *values]
    state.start_among(key, options, state.part(f.digest).get(column) or every)
    st.selectbox(_("Read only the rows where “{column}” is").format(column=column), options, key=key,
                 on_change=_set_part, args=(f.digest, column, key, every),
                 help=_("The answer column mixes question types on different scales; the figures need one."))


def _set_role(digest: str, column: str, key: str) -> None:
    value = state.widget(key)
    if value in ROLES:
        state.files()[digest].columns[column] = value


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~$"})


def _review_control(item: Loaded, line: ReviewLine, holder) -> None:
    """One click to change what a weak line is about: a column's role, or the unit column when none was found."""
    f = item.file
    if len(line.columns) == 1 and line.role in ROLES:
        column = line.columns[0]
        key = state.file_key(f"review_role::{column}", f.digest)
        state.start_among(key, list(ROLES), line.role)
        holder.selectbox(_("Role of “{column}”").format(column=column), list(ROLES), format_func=_role_names().get,
                         key=key, on_change=_set_role, args=(f.digest, column, key), label_visibility="collapsed")
    elif not line.columns and item.detection is not None and item.detection.one("department") is None:
        key = state.file_key("review_unit", f.digest)
        none = "– " + _("none") + " –"
        options = [none, *(c.name for c in item.detection.columns)]
        state.start_among(key, options, none)
        holder.selectbox(_("Unit column"), options, key=key, label_visibility="collapsed", on_change=_set_unit,
                         args=(f.digest, key, none))


def _set_unit(digest: str, key: str, none: str) -> None:
    value = state.widget(key)
    if value not in (None, none):
        state.files()[digest].columns[str(value)] = "department"


def _reading(item: Loaded) -> list[ReviewLine]:
    """How the file was read, as lib.detect.review says it (nothing of a file under the anonymity threshold)."""
    if item.detection is None:
        return []
    return survey_review(item.survey, surfaces.reading_withheld(item.survey, ctx.settings.min_group)) \
        if item.survey is not None else review(item.detection)


def _review(item: Loaded, lines: list[ReviewLine]) -> None:
    """How the file was read, before the figures: one compact list (lib.detect.review), the lines that rest on thin
    evidence marked, each with one click to change it."""
    weak = thin(lines)
    with st.expander(_("How the file was read"), expanded=weak, icon=":material/fact_check:"):
        if weak:
            st.caption(_("Lines marked ⚠ rest on thin evidence; check them before the figures."))
        for line in lines:
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(("⚠ " if line.weak else "") + str(line.text).translate(_MARKDOWN))
            if line.weak:
                _review_control(item, line, right)


def _confirm_reverse(digest: str, names: list[str]) -> None:
    f = state.files()[digest]
    for name in names:
        f.columns[name] = "reverse-item"


def _roles_editor(item: Loaded) -> None:
    """Every column's role, scale and reason, editable; negatively worded statements offered for reversal."""
    f = item.file
    s = item.survey
    reversed_items = {i.name: i.reverse_reason for i in s.items if i.reverse} if s else {}
    reasons = surfaces.column_reasons(s, ctx.settings.min_group) if s else None  # none said of a file under k
    detected = {c.name: ("reverse-item" if c.name in reversed_items else c.role) for c in item.detection.columns}
    scales = {c.name: str(c.scale) if c.scale is not None else "" for c in item.detection.columns}
    roles = pd.DataFrame({
        "column": list(detected),
        "role": [_role_names()[r] for r in detected.values()],
        "scale": list(scales.values()),
        "reason": [str(reversed_items.get(c.name) or (reasons or {}).get(c.name) or c.reason)
                   for c in item.detection.columns],
    })
    suggested = [c for c in item.detection.columns if c.suggestion is not None and c.role == "item"]
    if suggested:
        st.warning(_("These statements read as negatively worded; they are scored as worded until you confirm: "
                     "{names}.").format(names="; ".join(f"“{c.label}” ({c.suggestion})" for c in suggested)),
                   icon=":material/swap_vert:")
        st.button(_("Score them reversed"), key=state.file_key("reverse", f.digest), on_click=_confirm_reverse,
                  args=(f.digest, [c.name for c in suggested]), icon=":material/swap_vert:")
    st.markdown("##### " + _("Columns"))
    st.caption(_("Change a role if the guess is wrong; your choice is kept for this file."))
    roles_key = state.file_key("roles", f.digest)
    st.data_editor(
        roles, key=roles_key, hide_index=True, width="stretch", disabled=["column", "reason"],
        on_change=_set_roles, args=(f.digest, roles_key, detected, scales),
        column_config={
            "column": st.column_config.TextColumn(_("Column"), width="large"),
            "role": st.column_config.SelectboxColumn(_("Role"), options=list(_role_names().values()),
                                                 required=True),
            "scale": st.column_config.TextColumn(_("Scale"), help=_("For answers given as numbers: the scale, such "
                                                                    "as 1-4 or 0-10.")),
            "reason": st.column_config.TextColumn(_("Why"), width="large"),
        },
    )


def _columns_or_preview(item: Loaded) -> None:
    """An employee file by its columns' roles and scales (never a value); a customer file's first rows only once
    the user confirmed it is one and it does not read as an employee survey (lib.privacy.surfaces decides)."""
    f, s = item.file, item.survey
    preview = surfaces.preview(s, confirmed=f.use == "customer")  # never a row of an employee-like file
    if s.kind == "employee":  # employee answers are personal data: roles and scales, never values or rows
        st.markdown("##### " + _("What the columns hold"))
        st.caption(_("Employee answers are not shown: per column, its role, its scale and how many answered it "
                     "(nothing for a column or a file fewer than the anonymity threshold answered)."))
        profile = surfaces.file_summary(s, ctx.settings.min_group)
        profile = profile.assign(role=profile["role"].map(_role_names()).fillna(profile["role"]),
                                 answered=profile["answered"].astype(str))
        st.dataframe(profile, hide_index=True, width="stretch", column_config={
            "column": _("Column"), "role": _("Role"), "scale": _("Scale"), "answered": _("Answered")})
    elif preview is not None:
        st.markdown("##### " + _("Preview"))
        st.dataframe(preview, width="stretch", height=240)
    elif s.preview is not None:
        st.caption(_("The first rows are shown once you choose “Customer survey” above, and never for a file that "
                     "reads as an employee survey."))


def _file_panel(item: Loaded, files: int) -> None:
    """One file's panel: open at first for a file that could not be read, one whose reading rests on thin evidence,
    or one of up to two uploads; a closed panel draws nothing until it is opened (its grids are most of the page)."""
    f = item.file
    kind = item.kind
    title = f"**{f.name}** — " + (USE_LABELS.get(kind or "unused") if kind else _("not used"))
    lines = _reading(item)
    first = item.error is not None or thin(lines) or (files <= 2 and not state.using_sample())
    panel = st.expander(title, expanded=first, key=state.file_key("panel", f.digest), on_change="rerun")
    if not panel.open:
        return
    with panel:
        c1, c2, c3 = st.columns([2, 2, 1])
        use_key = state.file_key("use", f.digest)
        state.start(use_key, f.use)
        c1.selectbox(_("This file is"), list(USE_LABELS), format_func=USE_LABELS.get, key=use_key,
                     on_change=_set_use, args=(f.digest, use_key))
        if item.survey is not None and len(item.survey.sheets) > 1:
            sheet_key = state.file_key("sheet", f.digest)
            state.start(sheet_key, item.survey.sheet)
            c2.selectbox(_("Sheet"), list(item.survey.sheets), key=sheet_key, on_change=_set_sheet,
                         args=(f.digest, sheet_key))
        c3.button(_("Remove"), key=state.file_key("remove", f.digest), on_click=state.remove_file, args=(f.digest,),
                  icon=":material/delete:")
        if not f.name.lower().endswith(WORKBOOK_SUFFIXES):
            enc_key = state.file_key("encoding", f.digest)
            state.start(enc_key, f.encoding or "auto")
            c2.selectbox(_("Text encoding"), ["auto", *ENCODINGS], key=enc_key, on_change=_set_encoding,
                         args=(f.digest, enc_key),
                         format_func=lambda e: _("detected") if e == "auto" else e,
                         help=_("Choose another encoding if letters such as å, ä, ö or é look wrong."))
        _header_row_input(item, c1)
        if item.error:
            st.error(item.error)
            if item.detection is not None and looks_like_organisation([c.name for c in item.detection.columns]):
                st.info(_("This looks like an organisation file (units and their parents): upload it under "
                          "Organisation below instead."))
        _part_choice(item)
        if item.detection is None:
            return
        if item.detection and f.use == "auto":
            st.caption(_("Guessed: {why}.").format(why=item.detection.kind_reason))
        _review(item, lines)
        _roles_editor(item)
        s = item.survey
        if s is None:
            return
        if kind == "employee" and any((i.scale.low, i.scale.high) == (1, 5) for i in s.items):
            _hme_mapping(item)
        _columns_or_preview(item)
        st.markdown("##### " + _("Rows"))
        kept = len(s.frame)
        st.write(_("{kept} of {total} rows are used.").format(kept=widgets.count(kept), total=widgets.count(s.total_rows)))
        left_out = surfaces.left_out(s)  # reasons, counts and row numbers only (lib.privacy.surfaces)
        if left_out:
            reason, count, where = _("Reason"), _("Rows"), _("Spreadsheet rows")
            rows = [{reason: str(why), count: len(numbers), where: ", ".join(map(str, numbers[:50]))
                     + (" …" if len(numbers) > 50 else "")} for why, numbers in left_out]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            row = _("Row")
            detail = pd.DataFrame([{row: r, reason: str(why)} for why, numbers in left_out for r in numbers])
            st.download_button(_("Download the left-out rows (CSV)"), data=partial(table_csv, detail, state.language()),
                               file_name=_("{name}-left-out.csv").format(name=f.name), mime="text/csv",
                               key=state.file_key("skipped", f.digest), on_click="ignore", icon=":material/download:")
        for note in s.notes:
            st.caption(str(note))


for loaded in ctx.loaded:
    _file_panel(loaded, len(ctx.loaded))

st.markdown("### " + _("Departments in both surveys"))
if ctx.customer is None or ctx.employee is None:
    st.info(_("Add both a customer and an employee survey to match their departments."))
else:
    link = make_link(ctx.customer, ctx.employee, replace(ctx.settings, unit=None, level=None))  # the files' units
    pairs = pd.DataFrame({
        "department": list(link.names),
        "customer": [", ".join(n for n, d in link.customer.items() if d == name) for name in link.names],
        "employee": [", ".join(n for n, d in link.employee.items() if d == name) for name in link.names],
    })
    st.dataframe(pairs, hide_index=True, width="stretch", column_config={
        "department": _("Department"), "customer": _("Name in the customer survey"),
        "employee": _("Name in the employee survey")})
    if link.only_customer or link.only_employee:
        st.warning(_("Only in the customer survey: {c}. Only in the employee survey: {e}.").format(
            c=", ".join(link.only_customer) or "–", e=", ".join(link.only_employee) or "–"))
    st.markdown("##### " + _("Department mapping"))
    st.caption(_("Treat a name as another to join renamed units (for example “Homecare” → “Home Care”)."))
    current = state.mapping()
    table = pd.DataFrame({"name": list(current), "treat_as": list(current.values())}, columns=["name", "treat_as"])
    all_names = sorted(set(ctx.customer.departments) | set(ctx.employee.departments))

    def _save_mapping() -> None:
        change = state.widget(state.MAPPING_EDITOR) or {}
        rows = table.to_dict("records")
        for i, edit in change.get("edited_rows", {}).items():
            rows[int(i)].update(edit)
        rows += change.get("added_rows", [])
        rows = [r for i, r in enumerate(rows) if i not in set(change.get("deleted_rows", []))]
        state.set_mapping({str(r.get("name") or ""): str(r.get("treat_as") or "") for r in rows})

    st.data_editor(table, key=state.MAPPING_EDITOR, num_rows="dynamic", hide_index=True, on_change=_save_mapping,
                   column_config={
                       "name": st.column_config.SelectboxColumn(_("Name"), options=all_names),
                       "treat_as": st.column_config.SelectboxColumn(_("Treat as"), options=all_names),
                   })

st.markdown("### " + _("Organisation"))
st.caption(_("An organisation file lists each unit with the unit it belongs to (and, if you like, its manager's "
             "e-mail address), one unit per row. With it, the sidebar shows any level of the organisation or one unit "
             "and its units, and small teams are protected inside their own unit. Name the units as the mapping above "
             "does."))
st.file_uploader(_("Organisation file (unit, parent, manager's e-mail)"), type=["csv", "txt", "xlsx", "xls", "ods"],
                 key=state.ORGANISATION_UPLOADER, on_change=state.read_organisation)
if state.organisation_error() is not None:
    st.error(str(state.organisation_error()))
organisation = state.organisation() or ctx.settings.hierarchy
if organisation is not None and state.organisation() is None:
    st.caption(_("The organisation comes from the files' higher-unit columns: {columns}.").format(
        columns=", ".join(organisation.levels[:-1])))
if organisation is not None:
    files_units = [n for s in (ctx.customer, ctx.employee) if s is not None for n in s.unit_names]
    tree = breakdowns.organisation_table(organisation, files_units, state.mapping())
    st.caption(_("{n} units on {levels} levels; {m} with a manager's e-mail address.").format(
        n=widgets.count(len(tree)), levels=organisation.depth, m=widgets.count(int((tree["manager"] != "").sum()))))
    for note in state.organisation_notes():
        st.caption(str(note))
    st.dataframe(tree, hide_index=True, width="stretch", column_config={
        "unit": _("Unit"), "level": st.column_config.NumberColumn(_("Level"), format="%d"),
        "in_files": st.column_config.CheckboxColumn(_("In the files")), "manager": _("Manager's e-mail")})
    if state.organisation() is not None:
        st.button(_("Remove the organisation"), on_click=state.forget_organisation, icon=":material/delete:")

st.markdown("### " + _("Analysis setup"))
st.caption(_("One file with the column roles, scales, reverse-worded statements, the department mapping, thresholds, "
             "filters and choices made here. Load it with next quarter's exports for comparable figures, or use it "
             "with python -m lib summary --setup FILE."))
chosen = [(item.kind, item.file, [c.name for c in item.detection.columns]) for item in ctx.loaded
          if item.kind in ("customer", "employee") and item.detection]
files = {}
for kind, f, _columns in chosen:
    files.setdefault(kind, f)  # the first file of each survey; a loaded setup applies to all of them
row = st.container(horizontal=True)
row.download_button(_("Download the setup (JSON)"), icon=":material/download:", on_click="ignore",
                    data=state.current_setup(files.get("customer"), files.get("employee"), ctx.dates).to_json(),
                    file_name=_("analysis-setup.json"), mime="application/json", key="setup_download")
st.file_uploader(_("Load a setup"), type=["json"], key=state.SETUP_UPLOADER, on_change=state.apply_setup,
                 args=(chosen,))
if state.setup_error() is not None:
    st.error(str(state.setup_error()))

#!/usr/bin/env python3
"""Writes the workbook fixtures of Tests/ZhaorenTests/Workbooks/ with real spreadsheet software:
openpyxl (pip install openpyxl) and, when `soffice` is installed, LibreOffice. Every person in them
is made up. Run from the repository root: python3 Scripts/make-workbook-fixtures.py

dept-openpyxl.xlsx     a 低保 roster as departments send it: title merged A1:H1, a unit line, the
                       header on row 3, an 18-digit ID typed as a number (Excel keeps 15 digits),
                       an ID stored as text, dates in two formats, rich text, a never-calculated
                       formula, a boolean; a second sheet 家庭成员 whose 户主 cells are merged
                       vertically over the members; a hidden third sheet.
dept-libreoffice.xlsx  the same workbook saved again by LibreOffice (shared strings, cached formula
                       results, LibreOffice's number and style writing).
typed-libreoffice.xlsx a CSV typed into LibreOffice: the ID became a number, the date a serial.
"""
import datetime, os, shutil, subprocess, tempfile
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ZhaorenTests", "Workbooks")
os.makedirs(here, exist_ok=True)
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "低保"
ws["A1"] = "2024年西吉县低保对象花名册"; ws.merge_cells("A1:H1")
ws["A2"] = "填报单位：西吉县民政局（盖章）"; ws.merge_cells("A2:D2"); ws["F2"] = "填报日期：2024年3月"
for j, h in enumerate(["序号", "户主姓名", "身份证号", "家庭人口", "保障金额", "乡镇", "出生日期", "备注"]):
    ws.cell(3, j + 1, h)
ws.append([1, "王五", 640422197411075123, 3, 1250.5, "吉强镇", datetime.date(1974, 11, 7), None])
ws.append([2, CellRichText([TextBlock(InlineFont(b=True), "马"), "六"]), "640422198001010029", 2, 980, "兴隆镇",
           datetime.date(1980, 1, 1), "曾用名 马 六"])
ws["G4"].number_format = 'yyyy"年"m"月"d"日"'; ws["G5"].number_format = "yyyy/m/d"; ws["C5"].number_format = "@"
ws["B6"] = "=B4&B5"; ws["D7"] = True
members = wb.create_sheet("家庭成员")
members.append(["户编号", "户主", "成员姓名", "与户主关系", "身份证号"])
members.append(["H001", "王五", "王五", "本人", "640422197411075123"])
members.append([None, None, "李梅", "配偶", "640422197603121228"])
members.append([None, None, "王小明", "子", "640422200209150017"])
members.merge_cells("A2:A4"); members.merge_cells("B2:B4")
hidden = wb.create_sheet("备用"); hidden["A1"] = "不用"; hidden.sheet_state = "hidden"
src = os.path.join(here, "dept-openpyxl.xlsx"); wb.save(src)
if shutil.which("soffice"):
    with tempfile.TemporaryDirectory() as d:
        csv = os.path.join(d, "typed.csv")
        open(csv, "w", encoding="utf-8").write("姓名,身份证号,日期\n王五,640422197411075123,2024-03-05\n")
        subprocess.run(["soffice", "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", d, csv], check=True, capture_output=True)
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", os.path.join(d, "o"), src], check=True, capture_output=True)
        shutil.copy(os.path.join(d, "typed.xlsx"), os.path.join(here, "typed-libreoffice.xlsx"))
        shutil.copy(os.path.join(d, "o", "dept-openpyxl.xlsx"), os.path.join(here, "dept-libreoffice.xlsx"))
print("ok")

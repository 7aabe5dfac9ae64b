#!/usr/bin/env python3
"""roster.py ROWS SEED - a roster CSV (UTF-8) of ROWS new students with valid
and distinct 身份证号 (regions 41038x, so none is on the generated
city's roster), for the import benchmark. SEED picks a different set each run."""
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"
SURN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子梓浩宇欣怡晨雨轩涵博文佳思诺嘉俊明静婷"
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]

rows, seed = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
# the columns a school fills for every child; all 14 columns of the template
# make 16 MB at 100,000 rows, over the 10 MB a single upload may be
out.write("姓名,性别,身份证号,学段,年级,班级,就读方式,监护人\n")
for i in range(rows):
    g = i % 6
    k = i // 6                      # the k-th child of this grade
    day, seq = k // 1000 % 336, k % 1000
    # region 41038<seed+1>: each run's ids are new to the roster and distinct
    body = "41038%d%04d%02d%02d%03d" % (seed + 1, 2019 - g, 1 + day // 28, 1 + day % 28, seq)
    idc = body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]
    name = SURN[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20]
    out.write("%s,%s,%s,小学,%s,%d班,走读,%s\n" % (
        name, "男" if seq % 2 else "女", idc, GRADES[g], 1 + i % 8, SURN[(i + 3) % 20] + "建国"))

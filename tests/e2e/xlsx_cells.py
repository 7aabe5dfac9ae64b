# Print the cells of the first sheet of an xlsx as tab-separated lines,
# read with Python's own zip and XML libraries (independent of the
# project's reader), for the report tests.
import sys, zipfile, re
import xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns):
        shared.append(''.join(t.text or '' for t in si.iter('{%s}t' % ns['m'])))
sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
def col(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
for row in sheet.iter('{%s}row' % ns['m']):
    cells = {}
    for c in row.findall('m:c', ns):
        t = c.get('t')
        if t == 's':
            v = shared[int(c.find('m:v', ns).text)]
        elif t == 'inlineStr':
            v = ''.join(x.text or '' for x in c.iter('{%s}t' % ns['m']))
        else:
            e = c.find('m:v', ns)
            v = e.text if e is not None else ''
        cells[col(c.get('r'))] = v
    if cells:
        print('\t'.join(cells.get(i, '') for i in range(max(cells) + 1)))

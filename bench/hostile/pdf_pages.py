#!/usr/bin/env python3
"""Write a synthetic PDF of N pages, two lines of varied words each (a running
header would be dropped as furniture): pdf_pages.py N OUT.pdf"""
import sys
n=int(sys.argv[1]); out_path=sys.argv[2]
objs={}
objs[1]=b"<< /Type /Catalog /Pages 2 0 R >>"
kids=[]
font=3
objs[3]=b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
nid=4
for i in range(n):
    import random; random.seed(i); w=[b"ministry",b"report",b"law",b"children",b"network",b"campaign",b"court",b"plan",b"reform",b"press"]; c=b"BT /F1 11 Tf 72 720 Td ("+b" ".join(random.choice(w) for _ in range(12))+b".) Tj 0 -14 Td ("+b" ".join(random.choice(w) for _ in range(12))+b".) Tj ET"
    objs[nid]=b"<< /Length %d >>\nstream\n"%len(c)+c+b"\nendstream"
    objs[nid+1]=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>"%nid
    kids.append(nid+1); nid+=2
objs[2]=b"<< /Type /Pages /Kids ["+b" ".join(b"%d 0 R"%k for k in kids)+b"] /Count %d >>"%n
out=bytearray(b"%PDF-1.4\n"); offs={}
for k in sorted(objs):
    offs[k]=len(out); out+=b"%d 0 obj\n"%k+objs[k]+b"\nendobj\n"
x=len(out); size=max(objs)+1
out+=b"xref\n0 %d\n0000000000 65535 f \n"%size+b"".join(b"%010d 00000 n \n"%offs[k] for k in range(1,size))
out+=b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"%(size,x)
open(out_path,'wb').write(out)

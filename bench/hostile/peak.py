#!/usr/bin/env python3
"""Run a command; print its exit code, seconds, and the peak resident memory of
the process and of its largest child (tanda reads each PDF in a child process).
Peaks are read from /proc (VmHWM) every 5 ms, so they are high-water marks."""
import subprocess,sys,time,os
t=time.time()
p=subprocess.Popen(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)
main_peak=0; child_peak=0
def hwm(pid):
    try:
        for l in open(f'/proc/{pid}/status'):
            if l.startswith('VmHWM'): return int(l.split()[1])
    except Exception: return 0
    return 0
def kids(pid):
    out=[]
    try:
        for t in os.listdir(f'/proc/{pid}/task'):
            try: out+= [int(x) for x in open(f'/proc/{pid}/task/{t}/children').read().split()]
            except Exception: pass
    except Exception: pass
    return out
while p.poll() is None:
    main_peak=max(main_peak,hwm(p.pid))
    for k in kids(p.pid): child_peak=max(child_peak,hwm(k))
    time.sleep(0.005)
err=p.stderr.read().decode(errors='replace')
print(f"exit {p.returncode}  {time.time()-t:.2f} s  main {main_peak/1024:.0f} MB  child {child_peak/1024:.0f} MB")
sys.stderr.write(err[-600:])

@echo off
md C:\w
cd /d C:\w
echo We sell the Pencil Sharpener> pencil.ad
echo and the pencil sharpener too>> pencil.ad
echo nothing else>> pencil.ad
find "Pencil Sharpener" pencil.ad
find /i /c "pencil sharpener" pencil.ad
find /v /n "pencil" pencil.ad
type pencil.ad | find "else"
find "zzz" pencil.ad > nul
echo %errorlevel%

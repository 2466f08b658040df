@echo off
rem Microsoft Learn "set /a": operators in decreasing precedence; ss64 "SET /A".
set /a a=2+3*4
set /a b=(2+3)*4
set /a c=a+b
set /a d=17/5, e=17%%5
set /a f="1<<10", g="255&0x0F", h="1|6", i="5^3"
set /a j=-a, k=~0, l=!0
set /a m=0x1F+010
echo %a% %b% %c% %d% %e% %f% %g% %h% %i% %j% %k% %l% %m%
set /a n=1, n+=5, n*=2
echo %n%

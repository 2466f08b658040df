@echo off
rem Microsoft Learn "for": items split at spaces, commas, semicolons; /l counts.
for %%a in (red,green;blue "light gray") do echo %%a
for /l %%n in (1,2,9) do echo %%n
for /l %%n in (3,-1,1) do echo %%n

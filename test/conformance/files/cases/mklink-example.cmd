@echo off
md C:\Users\User1\Documents
echo doc> C:\Users\User1\Documents\note.txt
cd /d C:\
mklink /d \MyDocs \Users\User1\Documents
type \MyDocs\note.txt
mklink /j C:\Docs C:\Users\User1\Documents
dir /b C:\Docs
mklink /h C:\hard.txt C:\Users\User1\Documents\note.txt
type C:\hard.txt
mklink \MyDocs x
echo %errorlevel%

"""Tests of the local Tiki-like authorization server, over real HTTP on 127.0.0.1."""

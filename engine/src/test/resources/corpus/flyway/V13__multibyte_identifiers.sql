-- Identifiers and literals beyond ASCII.
CREATE TABLE public."Kunden_Größe" (
    "straße" text,
    "名前" text NOT NULL DEFAULT 'なし',
    "emoji_😀" text,
    größe integer
);

COMMENT ON COLUMN public."Kunden_Größe"."名前" IS 'Name (日本語); “smart quotes” — em dash';

-- 23 characters, 69 bytes: PostgreSQL truncates identifiers at 63 bytes.
CREATE INDEX "索引索引索引索引索引索引索引索引索引索引索引索" ON public."Kunden_Größe" ("名前");

ALTER TABLE public."Kunden_Größe" RENAME COLUMN "straße" TO "Straße";

INSERT INTO public."Kunden_Größe" ("名前", größe) VALUES ('Zoë; O''Brien', 42), (E'tab\there', 7);

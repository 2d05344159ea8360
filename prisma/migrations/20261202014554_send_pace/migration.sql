-- CreateTable
CREATE TABLE "SendPace" (
    "name" TEXT NOT NULL,
    "nextAt" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "SendPace_pkey" PRIMARY KEY ("name")
);

# One image for every role; docker-compose.yml picks the role with `npm run start:<role>`.
# (These development machines have no Docker engine: the file is kept correct, not exercised.)
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY . .
ENV HOST=0.0.0.0 NODE_ENV=production KAFKAJS_NO_PARTITIONER_WARNING=1
USER node

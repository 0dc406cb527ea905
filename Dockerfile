# Builds the application jar and runs it against external PostgreSQL and Redis
# (see docker-compose.yml). The embedded servers are not used in this shape.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/api/target/orderly-api-*.jar /app/orderly.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/orderly.jar"]
